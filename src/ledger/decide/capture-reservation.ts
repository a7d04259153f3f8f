import type { CaptureReservationCommand } from '../commands';
import type { LedgerState, OpenReservation } from '../state';
import type { EventDraft } from '../event-draft';
import type { EpochMs } from '../instants';
import type { Situation } from './situation';
import { takeFirstDrawn, takeLastDrawn } from '../block-amounts';
import { expireReturnedCredits } from '../expiry';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { openHoldOrRejection } from './open-hold';
import { assertUnusedId } from './fresh-id';
import { copyOperation } from '../operation-record';

/**
 * LEDGER.md "Capture": up to the held credits become a CreditsSpent (refundable like any spend),
 * the rest is released back to its blocks in the same append.
 */
export function decideCaptureReservation(
  command: CaptureReservationCommand,
  { state, nowMs }: Situation,
): RulesOutcome {
  const found = openHoldOrRejection(state, command.reservationId, nowMs);
  if ('rejection' in found) return reject(found.rejection);
  const { hold } = found;
  const credits = command.credits ?? hold.credits;
  if (credits > hold.credits) {
    return reject({
      code: 'capture_exceeds_hold',
      reservationId: hold.reservationId,
      held: hold.credits,
      requested: credits,
    });
  }
  assertUnusedId(state.spends, command.spendId, 'spend');
  const drawdown = takeFirstDrawn(hold.drawdown, credits);
  // A priced hold's spend records its operation: as captured (the quantity actually used, priced
  // by the caller at the hold's card version), else as held.
  const operation = command.operation ?? hold.operation;
  return accept(
    {
      type: 'CreditsSpent',
      data: {
        spendId: command.spendId,
        credits,
        description: command.description ?? hold.description ?? 'capture',
        drawdown,
        reservationId: hold.reservationId,
        ...(operation !== undefined && { operation: copyOperation(operation) }),
      },
    },
    ...releaseRemainder(state, hold, credits, nowMs),
  );
}

function releaseRemainder(
  state: LedgerState,
  hold: OpenReservation,
  captured: number,
  nowMs: EpochMs,
): EventDraft[] {
  const remainder = hold.credits - captured;
  if (remainder === 0) return [];
  const returnedTo = takeLastDrawn(hold.drawdown, remainder);
  return [
    {
      type: 'ReservationReleased',
      data: {
        reservationId: hold.reservationId,
        credits: remainder,
        reason: 'captured_remainder',
        returnedTo,
      },
    },
    ...expireReturnedCredits(state, returnedTo, nowMs),
  ];
}
