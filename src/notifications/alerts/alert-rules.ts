import type { LedgerEvent } from '../../ledger/events';
import type { AlertSettings } from './alert-settings';

/**
 * The balance alerts (PRODUCT.md §5), pure. An alert fires when an event takes `available` from
 * at or above a threshold to below it — a crossing — so each fires once per crossing and is re-armed
 * by construction when the account recovers to the threshold or above (there is nothing to
 * remember but the balance itself). balance.depleted is the crossing of "more than 0".
 */
export interface AlertAccount {
  available: number;
  /** Credits of the last top-up (purchase, subscription grant or grant); null before the first. */
  lastTopUp: number | null;
}

export type BalanceAlert =
  | {
      type: 'balance.low';
      /** Which line: `abs:100`, `pct:20` — part of the message id, so the same crossing is one message. */
      key: string;
      threshold: number | string;
      kind: 'absolute' | 'percentOfLastTopUp';
      /** The line in credits (for a percent: of the last top-up, may be fractional). */
      thresholdCredits: number;
      available: number;
    }
  | { type: 'balance.depleted'; key: 'depleted'; threshold: 0; available: number };

/** The account after `event`'s change of `available` (`availableChange`, from the projections' effects). */
export function nextAlertAccount(
  before: AlertAccount,
  event: LedgerEvent,
  availableChange: number,
): AlertAccount {
  const available = before.available + availableChange;
  return { available, lastTopUp: topUpCredits(event) ?? before.lastTopUp };
}

/**
 * The credits of a top-up (PRODUCT.md §5: a purchase — an auto top-up's included —, a subscription
 * grant or another grant), else null. Not top-ups: credits moved in from another account (a
 * transfer, a returned transfer, a redeemed gift code: they are someone's earlier top-up), refunds
 * and released holds (credits coming back), and a rollover grant (last period's unused credits:
 * appended right after the period's own grant, it would otherwise replace it as the reference).
 */
function topUpCredits(event: LedgerEvent): number | null {
  if (event.type === 'CreditsPurchased') return event.data.credits;
  if (event.type === 'CreditsGranted' && event.data.reason !== 'rollover')
    return event.data.credits;
  return null;
}

/**
 * The alerts of one step from `before` to `after`. Percent lines use the last top-up as it is
 * after the event (a top-up raises the balance and moves the lines with it: nothing crosses down).
 */
export function crossedAlerts(
  before: AlertAccount,
  after: AlertAccount,
  settings: AlertSettings,
): BalanceAlert[] {
  if (after.available >= before.available) return [];
  const alerts: BalanceAlert[] = [];
  const crossed = (line: number): boolean => before.available >= line && after.available < line;
  for (const credits of [...new Set(settings.lowBalance)].sort((a, b) => b - a)) {
    if (crossed(credits))
      alerts.push({
        type: 'balance.low',
        key: `abs:${credits}`,
        threshold: credits,
        kind: 'absolute',
        thresholdCredits: credits,
        available: after.available,
      });
  }
  if (after.lastTopUp !== null && after.lastTopUp > 0) {
    for (const percent of [...new Set(settings.percentOfLastTopUp)].sort((a, b) => b - a)) {
      const line = (after.lastTopUp * percent) / 100;
      if (crossed(line))
        alerts.push({
          type: 'balance.low',
          key: `pct:${percent}`,
          threshold: `${percent}%`,
          kind: 'percentOfLastTopUp',
          thresholdCredits: line,
          available: after.available,
        });
    }
  }
  if (before.available > 0 && after.available <= 0)
    alerts.push({
      type: 'balance.depleted',
      key: 'depleted',
      threshold: 0,
      available: after.available,
    });
  return alerts;
}
