import type { RolloverRecord } from '../events';
import type { DraftOf } from '../event-draft';
import type { SubscriptionPeriod } from '../state';
import type { Situation } from './situation';
import { blockOf, isGone } from '../blocks';
import { isoAt } from '../instants';
import { periodsAfter } from '../periods';

export interface Rollover {
  record: RolloverRecord;
  /** The ending period's blocks that still hold credits and are not due yet: the renewal closes them. */
  closing: DraftOf<'CreditsExpired'>[];
}

/**
 * PRODUCT.md §4 "Rollover": the credits of the ending period unused at its end — those its blocks
 * lost to their expiry (already written, or due now and written by the lazy expiry in front of
 * this command), less what came back to them after the end (a refund, a released hold: lost at
 * once, but in use at the end), and, when the renewal comes before the end, what they still hold, which the
 * renewal ends now — up to the period's plan's `maxCredits`, go to a block expiring
 * `expiresAfterPeriods` periods after the period's end. A rollover that would be born expired
 * (a renewal delivered that late) rolls nothing. Credits held by a reservation at the renewal are
 * not unused: they come back to an expired block and are lost, as for any expired block.
 */
export function rolloverOf(
  period: SubscriptionPeriod,
  { state, nowMs }: Situation,
  blockId: string,
): Rollover {
  const holding = period.blockIds
    .map((id) => blockOf(state, id))
    .filter((block) => !block.expired && block.remaining > 0);
  const unusedCredits =
    period.expiredCredits -
    period.returnedAfterEnd +
    holding.reduce((total, block) => total + block.remaining, 0);
  const closing = holding
    .filter((block) => !isGone(block, nowMs))
    .map((block): DraftOf<'CreditsExpired'> => ({
      type: 'CreditsExpired',
      data: { blockId: block.blockId, credits: block.remaining },
    }));
  const { maxCredits, expiresAfterPeriods } = period.plan.rollover;
  const expiresAtMs = periodsAfter(period.periodStart, period.periodEnd, expiresAfterPeriods);
  const credits =
    expiresAfterPeriods > 0 && expiresAtMs > nowMs ? Math.min(unusedCredits, maxCredits) : 0;
  const record: RolloverRecord = { fromPeriodEnd: period.periodEnd, unusedCredits, credits };
  if (credits > 0) {
    record.blockId = blockId;
    record.expiresAt = isoAt(expiresAtMs);
  }
  return { record, closing };
}
