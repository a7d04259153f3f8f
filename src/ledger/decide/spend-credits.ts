import type { SpendCreditsCommand } from '../commands';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { assertUnusedId } from './fresh-id';
import { pricedChargeData, pricedChargeRejection } from './priced-charge';
import { memberSpendRejection } from './member-spend';

/**
 * LEDGER.md "Spend": all or nothing, from available credits in drawdown order. A priced spend
 * (PRODUCT.md §1) also pays its quote once and needs its operation's minimumAvailable; a spend by
 * a pool member (PRODUCT.md §3) needs the membership and room under the member's limit.
 */
export function decideSpendCredits(
  command: SpendCreditsCommand,
  situation: Situation,
): RulesOutcome {
  const { state, view } = situation;
  assertUnusedId(state.spends, command.spendId, 'spend');
  const priced = isPriced(command) ? pricedChargeRejection(command, situation) : null;
  if (priced) return reject(priced);
  const member =
    command.member === undefined
      ? null
      : memberSpendRejection(command.member, command.credits, situation);
  if (member) return reject(member);
  const { available, blocks } = view;
  if (available < command.credits) {
    return reject({ code: 'insufficient_credits', available, required: command.credits });
  }
  return accept({
    type: 'CreditsSpent',
    data: {
      spendId: command.spendId,
      credits: command.credits,
      description: command.description,
      ...(command.reference !== undefined && { reference: command.reference }),
      ...(command.details !== undefined && { details: { ...command.details } }),
      drawdown: drawFrom(blocks, command.credits),
      ...(isPriced(command) && pricedChargeData(command)),
      ...(command.member !== undefined && { member: command.member }),
    },
  });
}

/** A plain spend (credits only) pays for none of the priced rules: its path stays as it was. */
function isPriced(command: SpendCreditsCommand): boolean {
  return (
    command.operation !== undefined ||
    command.quote !== undefined ||
    command.minimumAvailable !== undefined
  );
}
