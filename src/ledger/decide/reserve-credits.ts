import type { ReserveCreditsCommand } from '../commands';
import { isoAt } from '../instants';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { assertUnusedId } from './fresh-id';
import { pricedChargeData, pricedChargeRejection } from './priced-charge';

/**
 * LEDGER.md "Reserve": a hold takes credits from available in drawdown order, like a spend, until
 * it is captured, released or its deadline passes. ttlSeconds was validated (and defaulted) by the
 * caller. A priced hold (PRODUCT.md §1) pays its quote once, needs its operation's
 * minimumAvailable, and records its operation: the capture is priced at that card version.
 */
export function decideReserveCredits(
  command: ReserveCreditsCommand,
  situation: Situation,
): RulesOutcome {
  const { state, view, nowMs } = situation;
  assertUnusedId(state.extras.reservations, command.reservationId, 'reservation');
  assertUnusedId(state.extras.closedReservations, command.reservationId, 'reservation');
  const priced = pricedChargeRejection(command, situation);
  if (priced) return reject(priced);
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
      ...pricedChargeData(command),
    },
  });
}
