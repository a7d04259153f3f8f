import { Injectable } from '@nestjs/common';
import type { AccountLowBalanceLines } from '../../accounts/queries/low-balance';
import { AppConfig } from '../../config/app-config';
import { effectiveSettings, lowBalanceLine } from '../alerts/alert-settings';
import { PreferencesRepository } from './preferences.repository';

const CACHE_MAX_ENTRIES = 10_000;
const CACHE_TTL_MS = 5_000;

/**
 * Each account's low-balance line for `lowBalance` in balance and quote answers, from its alert
 * settings. Balances and quotes are hot reads: lines are cached for a few seconds (bounded; a PUT
 * in this process drops its entry at once, other replicas see it within CACHE_TTL_MS).
 */
@Injectable()
export class LowBalanceLines implements AccountLowBalanceLines {
  private readonly cache = new Map<string, { line: number | null; until: number }>();

  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly config: AppConfig,
  ) {}

  async lineFor(accountId: string): Promise<number | null> {
    const nowMs = Date.now();
    const cached = this.cache.get(accountId);
    if (cached && cached.until > nowMs) return cached.line;
    const stored = await this.preferences.alertSettings(accountId);
    const line = lowBalanceLine(
      effectiveSettings(stored, {
        lowBalanceThreshold: this.config.lowBalanceThreshold,
        expiringNoticeDays: this.config.notifications.expiringNoticeDays,
      }),
    );
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(accountId, { line, until: nowMs + CACHE_TTL_MS });
    return line;
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }
}
