import type { CancelSubscriptionCommand } from '../commands';
import { epochMs, isoAt } from '../instants';
import type { Situation } from './situation';
import { accept, type RulesOutcome } from './rules-outcome';
import { knownSubscription } from '../known-subscription';

/**
 * `customer.subscription.deleted`: no period starting from `endedAt` is granted; what is granted
 * stays until it expires. Once per subscription (a redelivery writes nothing). Recorded even before
 * any period was paid, so an invoice delivered after it still grants a period that began before.
 */
export function decideCancelSubscription(
  command: CancelSubscriptionCommand,
  { state }: Situation,
): RulesOutcome {
  const known = knownSubscription(state, command.subscriptionId);
  if (known?.endedAt != null) return accept();
  return accept({
    type: 'SubscriptionCanceled',
    data: {
      subscriptionId: command.subscriptionId,
      planId: known?.period?.plan.planId ?? null,
      endedAt: isoAt(epochMs(command.endedAt)),
    },
  });
}
