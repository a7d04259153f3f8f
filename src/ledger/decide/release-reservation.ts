import type { ReleaseReservationCommand } from '../commands';
import type { Situation } from './situation';
import { takeLastDrawn } from '../block-amounts';
import { expireReturnedCredits } from '../expiry';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { openHoldOrRejection } from './open-hold';
import { noteOf } from './note';

/**
 * LEDGER.md "Release": all held credits go back, last-drawn first. A hold whose deadline passed was
 * released by expiry; releasing it again is answered reservation_expired, like a late capture, so
 * the caller learns the hold is gone the same way on both paths.
 */
export function decideReleaseReservation(
  command: ReleaseReservationCommand,
  { state, nowMs }: Situation,
): RulesOutcome {
  const found = openHoldOrRejection(state, command.reservationId, nowMs);
  if ('rejection' in found) return reject(found.rejection);
  const { hold } = found;
  const returnedTo = takeLastDrawn(hold.drawdown);
  return accept(
    {
      type: 'ReservationReleased',
      data: {
        reservationId: hold.reservationId,
        credits: hold.credits,
        reason: 'released',
        returnedTo,
        ...noteOf(command),
      },
    },
    ...expireReturnedCredits(state, returnedTo, nowMs),
  );
}
