import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/**
 * Where an account's low-balance line is (its highest absolute alert threshold; null: none), for a
 * feature that keeps per-account alert settings to provide (NotificationsModule does). Without
 * one, the line is LOW_BALANCE_THRESHOLD for every account.
 */
export const ACCOUNT_LOW_BALANCE_LINES = Symbol('ACCOUNT_LOW_BALANCE_LINES');
export interface AccountLowBalanceLines {
  lineFor(accountId: string): Promise<number | null>;
}

/** `lowBalance` of balance and quote answers (PRODUCT.md §5): available below the account's line. */
@Injectable()
export class LowBalance {
  constructor(
    private readonly config: AppConfig,
    @Optional()
    @Inject(ACCOUNT_LOW_BALANCE_LINES)
    private readonly lines: AccountLowBalanceLines | null = null,
  ) {}

  /** The account's line (read it beside the balance: it does not depend on it). */
  lineFor(accountId: string): Promise<number | null> {
    return this.lines
      ? this.lines.lineFor(accountId)
      : Promise.resolve(this.config.lowBalanceThreshold);
  }

  static isBelow(available: number, line: number | null): boolean {
    return line !== null && available < line;
  }
}
