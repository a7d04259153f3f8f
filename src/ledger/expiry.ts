import type { BlockAmount } from './events';
import type { LedgerState, OpenReservation } from './state';
import type { DraftOf, EventDraft } from './event-draft';
import { blocksNamed, blocksWithCredits, isGone } from './blocks';
import { takeLastDrawn, totalsByBlock } from './block-amounts';
import { inDrawdownOrder } from './drawdown';
import { type EpochMs, epochMs, isDue } from './instants';

/**
 * Lazy expiry (LEDGER.md "Expiry"): what is due at `nowMs` on this account, written before any
 * command is decided. Holds past their deadline go back to their blocks first, so that a block that
 * is itself past its time then loses everything it holds, the returned credits included.
 */
export function dueExpiryDrafts(state: LedgerState, nowMs: EpochMs): EventDraft[] {
  const releases = dueHolds(state, nowMs).map(releaseExpiredHold);
  const returned = totalsByBlock(releases.flatMap((release) => release.data.returnedTo));
  const candidates = [...blocksWithCredits(state), ...blocksNamed(state, returned.keys())];
  const gone = [...new Set(candidates)].filter((block) => isGone(block, nowMs));
  const expiries = inDrawdownOrder(gone)
    .map((block) => expiryOf(block.blockId, block.remaining + (returned.get(block.blockId) ?? 0)))
    .filter((expiry) => expiry.data.credits > 0);
  return [...releases, ...expiries];
}

/**
 * Credits a refund or release puts back into blocks that are expired (or past their time) are lost
 * at once, in the same append: a block never holds credits after its expiry. Decided after lazy
 * expiry, so such a block held nothing before: it loses exactly what comes back.
 */
export function expireReturnedCredits(
  state: LedgerState,
  returnedTo: readonly BlockAmount[],
  nowMs: EpochMs,
): DraftOf<'CreditsExpired'>[] {
  const returned = totalsByBlock(returnedTo);
  return inDrawdownOrder(
    blocksNamed(state, returned.keys()).filter((block) => isGone(block, nowMs)),
  ).map((block) => expiryOf(block.blockId, returned.get(block.blockId) ?? 0));
}

/** Holds past their deadline at `nowMs`, the earliest deadline first. */
export function dueHolds(state: LedgerState, nowMs: EpochMs): OpenReservation[] {
  return Object.values(state.extras.reservations)
    .filter((hold) => isDue(hold.expiresAt, nowMs))
    .sort(
      (a, b) =>
        epochMs(a.expiresAt) - epochMs(b.expiresAt) || (a.reservationId < b.reservationId ? -1 : 1),
    );
}

function releaseExpiredHold(hold: OpenReservation): DraftOf<'ReservationReleased'> {
  return {
    type: 'ReservationReleased',
    data: {
      reservationId: hold.reservationId,
      credits: hold.credits,
      reason: 'expired',
      returnedTo: takeLastDrawn(hold.drawdown),
    },
  };
}

function expiryOf(blockId: string, credits: number): DraftOf<'CreditsExpired'> {
  return { type: 'CreditsExpired', data: { blockId, credits } };
}
