import type { GrantCreditsCommand } from '../commands';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { canonicalExpiry, newBlockRejection } from './new-block';

/** LEDGER.md "Grant": a block of the given category. Who may grant is checked by the caller. */
export function decideGrantCredits(
  command: GrantCreditsCommand,
  situation: Situation,
): RulesOutcome {
  const rejection = newBlockRejection(situation, command);
  if (rejection) return reject(rejection);
  return accept({
    type: 'CreditsGranted',
    data: {
      blockId: command.blockId,
      credits: command.credits,
      category: command.category,
      reason: command.reason,
      ...canonicalExpiry(command.expiresAt),
      ...(command.description !== undefined && { description: command.description }),
    },
  });
}
