import type { AdjustCreditsCommand } from '../commands';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * "Adjust down" (issue 18): an admin debit with a reason. All or nothing, from available credits in
 * the spend's drawdown order, so it never takes available below zero and never touches held credits.
 */
export function decideAdjustCredits(
  command: AdjustCreditsCommand,
  { view }: Situation,
): RulesOutcome {
  if (view.available < command.credits) {
    return reject({
      code: 'insufficient_credits',
      available: view.available,
      required: command.credits,
    });
  }
  return accept({
    type: 'CreditsAdjusted',
    data: {
      adjustmentId: command.adjustmentId,
      credits: command.credits,
      reason: command.reason,
      ...(command.description !== undefined && { description: command.description }),
      drawdown: drawFrom(view.blocks, command.credits),
    },
  });
}
