import { Injectable } from '@nestjs/common';
import type { AccountLowBalanceLines } from '../../accounts/queries/low-balance';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { effectiveSettings, highestLine, lowBalanceLine } from '../alerts/alert-settings';
import { PreferencesRepository } from './preferences.repository';

/** Accounts with thresholds of their own kept in memory at once; past it, read one by one. */
const OVERRIDES_MAX_ACCOUNTS = 100_000;
const CACHE_MAX_ENTRIES = 10_000;
/** How stale a line may be in a replica that did not take the PUT. */
const REFRESH_MS = 5_000;

/**
 * Each account's low-balance line for `lowBalance` in balance and quote answers, from its alert
 * settings. Balances and quotes are hot reads and few accounts set thresholds of their own, so the
 * lines that differ from the default are read together, all of them in one query at most every
 * REFRESH_MS (the answers keep using the last list while a new one loads), and a look-up costs no
 * round trip. A PUT in this process makes the next look-up wait for a fresh list; other replicas
 * see it within REFRESH_MS. With more than OVERRIDES_MAX_ACCOUNTS such accounts, lines are read
 * per account and cached for REFRESH_MS (bounded).
 */
@Injectable()
export class LowBalanceLines implements AccountLowBalanceLines {
  private overrides: Map<string, number | null> | null = null;
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private mustWait = true;
  /** Bumped by every local PUT: a list read before it must not count as fresh. */
  private generation = 0;
  private loading: Promise<void> | null = null;
  private readonly cache = new Map<string, { line: number | null; untilMs: number }>();

  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async lineFor(accountId: string): Promise<number | null> {
    await this.fresh();
    // Still waiting (the list could not be read): this account's own row decides.
    if (this.overrides && !this.mustWait) {
      return this.overrides.has(accountId)
        ? (this.overrides.get(accountId) ?? null)
        : this.config.lowBalanceThreshold;
    }
    return this.readOne(accountId);
  }

  /** The account's settings changed in this process: the next look-up reads them again. */
  forget(accountId: string): void {
    this.cache.delete(accountId);
    this.generation += 1;
    this.mustWait = true;
  }

  private async fresh(): Promise<void> {
    if (this.clock.now().getTime() - this.loadedAtMs < REFRESH_MS && !this.mustWait) return;
    // A load that started before a local PUT does not clear mustWait: wait for the next one too
    // (a few rounds at most; settings written faster than that are read per account next time).
    for (let round = 0; round < 3; round += 1) {
      // A failed load is not thrown at whoever happened to start it: the per-account read is.
      this.loading ??= this.load()
        .catch(() => undefined)
        .finally(() => (this.loading = null));
      if (!this.mustWait) return;
      await this.loading;
      if (!this.mustWait) return;
    }
  }

  private async load(): Promise<void> {
    const startedAtMs = this.clock.now().getTime();
    const generation = this.generation;
    const overrides = await this.preferences.lowBalanceOverrides(OVERRIDES_MAX_ACCOUNTS);
    this.overrides =
      overrides &&
      new Map(
        [...overrides].map(([accountId, lowBalance]) => [accountId, highestLine(lowBalance)]),
      );
    this.loadedAtMs = startedAtMs;
    if (generation === this.generation) this.mustWait = false;
  }

  private async readOne(accountId: string): Promise<number | null> {
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.get(accountId);
    if (cached && cached.untilMs > nowMs) return cached.line;
    const stored = await this.preferences.alertSettings(accountId);
    const line = lowBalanceLine(
      effectiveSettings(stored, {
        lowBalanceThreshold: this.config.lowBalanceThreshold,
        expiringNoticeDays: this.config.notifications.expiringNoticeDays,
      }),
    );
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(accountId, { line, untilMs: nowMs + REFRESH_MS });
    return line;
  }
}
