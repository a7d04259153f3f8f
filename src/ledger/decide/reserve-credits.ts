import type { ReserveCreditsCommand } from '../commands';
import { isoAt } from '../instants';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { assertUnusedId } from './fresh-id';

/**
 * LEDGER.md "Reserve": a hold takes credits from available in drawdown order, like a spend, until
 * it is captured, released or its deadline passes. ttlSeconds was validated (and defaulted) by the
 * caller.
 */
export function decideReserveCredits(
  command: ReserveCreditsCommand,
  { state, view, nowMs }: Situation,
): RulesOutcome {
  assertUnusedId(state.reservations, command.reservationId, 'reservation');
  assertUnusedId(state.closedReservations, command.reservationId, 'reservation');
  const { available, blocks } = view;
  if (available < command.credits) {
    return reject({ code: 'insufficient_credits', available, required: command.credits });
  }
  return accept({
    type: 'CreditsReserved',
    data: {
      reservationId: command.reservationId,
      credits: command.credits,
      expiresAt: isoAt(nowMs + command.ttlSeconds * 1000),
      drawdown: drawFrom(blocks, command.credits),
      ...(command.description !== undefined && { description: command.description }),
    },
  });
}
