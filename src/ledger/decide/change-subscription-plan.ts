import type { ChangeSubscriptionPlanCommand } from '../commands';
import { epochMs, isoAt } from '../instants';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { newBlockRejection } from './new-block';
import { knownSubscription } from '../known-subscription';

/**
 * `customer.subscription.updated` (PRODUCT.md §4). For the paid period it belongs to: an upgrade
 * (a plan with more credits per period than the period has had) grants the difference at once,
 * expiring at the period's end; a downgrade grants nothing (the next invoice bills the new plan),
 * and the period keeps what it has. For a period not paid yet (an update delivered before the
 * invoice it follows), the plan is remembered: that invoice grants at least it. Older periods, an
 * ended subscription, and a plan the period already has write nothing — so a retried or reordered
 * update never grants twice.
 */
export function decideChangeSubscriptionPlan(
  command: ChangeSubscriptionPlanCommand,
  situation: Situation,
): RulesOutcome {
  const { state, nowMs } = situation;
  const known = knownSubscription(state, command.subscriptionId);
  if (known?.endedAt != null) return accept();
  const startMs = epochMs(command.periodStart);
  const endMs = epochMs(command.periodEnd);
  if (!(endMs > startMs)) return accept();
  const period = known?.period ?? null;
  const base = {
    subscriptionId: command.subscriptionId,
    fromPlanId: period?.plan.planId ?? null,
    plan: command.plan,
    periodStart: isoAt(startMs),
    periodEnd: isoAt(endMs),
  };
  if (period && startMs === epochMs(period.periodStart)) {
    if (command.plan.planId === period.plan.planId) return accept();
    const difference = command.plan.creditsPerPeriod - period.grantedCredits;
    if (difference > 0 && endMs > nowMs) {
      const rejection = newBlockRejection(situation, {
        blockId: command.blockId,
        credits: difference,
      });
      if (rejection) return reject(rejection);
      return accept(
        {
          type: 'SubscriptionPlanChanged',
          data: { ...base, effective: 'now', credits: difference, blockId: command.blockId },
        },
        {
          type: 'CreditsGranted',
          data: {
            blockId: command.blockId,
            credits: difference,
            category: 'promotional',
            reason: 'subscription',
            expiresAt: isoAt(endMs),
          },
        },
      );
    }
    const pending = known?.pendingPlan;
    if (pending && pending.plan.planId === command.plan.planId) return accept();
    return accept({
      type: 'SubscriptionPlanChanged',
      data: { ...base, effective: 'next_period', credits: 0 },
    });
  }
  if (period && startMs < epochMs(period.periodStart)) return accept();
  // A period not paid yet: remember the largest plan seen for it.
  const pending =
    known?.pendingPlan && epochMs(known.pendingPlan.periodStart) === startMs
      ? known.pendingPlan.plan
      : (period?.plan ?? null);
  if (pending && pending.creditsPerPeriod >= command.plan.creditsPerPeriod) return accept();
  return accept({
    type: 'SubscriptionPlanChanged',
    data: { ...base, effective: 'next_period', credits: 0 },
  });
}
