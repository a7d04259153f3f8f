import type { WelcomeCreditsCommand } from '../commands';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { canonicalExpiry, newBlockRejection } from './new-block';

/**
 * PRODUCT.md §2 "Welcome credits": a promotional grant with the policy's reason, once ever. The
 * state remembers the first signup or lead grant (`welcome`, set by evolve), however it was made,
 * so a repeat answers that one and writes nothing.
 */
export function decideWelcomeCredits(
  command: WelcomeCreditsCommand,
  situation: Situation,
): RulesOutcome {
  const { welcome } = situation.state.extras;
  if (welcome !== null) return { kind: 'noop', reason: 'repeated', answer: { ...welcome } };
  const rejection = newBlockRejection(situation, command);
  if (rejection) return reject(rejection);
  return accept({
    type: 'CreditsGranted',
    data: {
      blockId: command.blockId,
      credits: command.credits,
      category: 'promotional',
      reason: command.reason,
      ...canonicalExpiry(command.expiresAt),
      ...(command.description !== undefined && { description: command.description }),
    },
  });
}
