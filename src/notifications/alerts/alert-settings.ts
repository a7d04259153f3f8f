/**
 * An account's alert settings (PUT /v1/accounts/{id}/alerts), each null when the account keeps
 * the configured default. Plain data: the rules below read only this.
 */
export interface AlertSettings {
  /** Absolute thresholds in credits (default: [LOW_BALANCE_THRESHOLD]). */
  lowBalance: readonly number[];
  /** Thresholds in percent of the last top-up (default: 20, 10, 5). */
  percentOfLastTopUp: readonly number[];
  /** Days before a block expires that credits.expiring is sent (default: EXPIRING_NOTICE_DAYS). */
  expiringDays: number;
}

export interface StoredAlertSettings {
  lowBalance: number[] | null;
  percentOfLastTopUp: number[] | null;
  expiringDays: number | null;
}

export const DEFAULT_PERCENTS_OF_LAST_TOP_UP: readonly number[] = [20, 10, 5];

export function effectiveSettings(
  stored: StoredAlertSettings | undefined,
  defaults: { lowBalanceThreshold: number; expiringNoticeDays: number },
): AlertSettings {
  return {
    lowBalance: stored?.lowBalance ?? [defaults.lowBalanceThreshold],
    percentOfLastTopUp: stored?.percentOfLastTopUp ?? DEFAULT_PERCENTS_OF_LAST_TOP_UP,
    expiringDays: stored?.expiringDays ?? defaults.expiringNoticeDays,
  };
}

/**
 * The account's low-balance line for `lowBalance: true|false` in balance and quote answers: its
 * highest absolute threshold (below it, at least one balance.low is due); null when it has none.
 */
export function lowBalanceLine(settings: AlertSettings): number | null {
  return highestLine(settings.lowBalance);
}

/** The highest of an account's absolute thresholds; null when it has none. */
export function highestLine(lowBalance: readonly number[]): number | null {
  return lowBalance.length === 0 ? null : Math.max(...lowBalance);
}
