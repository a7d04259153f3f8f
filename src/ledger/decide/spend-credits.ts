import type { SpendCreditsCommand } from '../commands';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { assertUnusedId } from './fresh-id';

/** LEDGER.md "Spend": all or nothing, from available credits in drawdown order. */
export function decideSpendCredits(
  command: SpendCreditsCommand,
  { state, view }: Situation,
): RulesOutcome {
  assertUnusedId(state.spends, command.spendId, 'spend');
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
    },
  });
}
