import type { LedgerState, OpenReservation } from '../state';
import type { Rejection } from '../rejections';
import { type EpochMs, isDue } from '../instants';
import { lookup } from '../keyed-records';

/**
 * The hold a capture or release acts on, or why it cannot. The state is as stored, so a hold past
 * its deadline may still look open: the deadline decides (lazy expiry in the same decision would
 * close it as expired), and one already closed as expired answers the same.
 */
export function openHoldOrRejection(
  state: LedgerState,
  reservationId: string,
  nowMs: EpochMs,
): { hold: OpenReservation } | { rejection: Rejection } {
  const hold = lookup(state.extras.reservations, reservationId);
  if (hold) {
    return isDue(hold.expiresAt, nowMs)
      ? { rejection: { code: 'reservation_expired', reservationId } }
      : { hold };
  }
  const status = lookup(state.extras.closedReservations, reservationId);
  if (status === undefined)
    return { rejection: { code: 'not_found', entity: 'reservation', id: reservationId } };
  if (status === 'expired') return { rejection: { code: 'reservation_expired', reservationId } };
  return { rejection: { code: 'reservation_closed', reservationId, status } };
}
