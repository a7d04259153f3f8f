import type { PaySubscriptionPeriodCommand } from '../commands';
import type { EventDraft } from '../event-draft';
import type { SubscriptionPlanTerms } from '../events';
import { epochMs, isoAt } from '../instants';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { newBlockRejection } from './new-block';
import { rolloverOf, type Rollover } from './subscription-rollover';
import { knownSubscription } from '../known-subscription';

/**
 * `invoice.paid` for a subscription period (PRODUCT.md §4): the period's credits, once. A period is
 * known by its start: an invoice for a period the account already has, or an older one (a retried
 * or late delivery), writes nothing — so no invoice, however often or late delivered, grants twice.
 * Nor does one for a period starting when or after the subscription ended. The plan is the one the
 * invoice paid for, or a larger one an update already reported for that period (an upgrade
 * delivered before the invoice it follows). A period already over when paid is recorded with no
 * credits.
 */
export function decidePaySubscriptionPeriod(
  command: PaySubscriptionPeriodCommand,
  situation: Situation,
): RulesOutcome {
  const { state, nowMs } = situation;
  const known = knownSubscription(state, command.subscriptionId);
  const startMs = epochMs(command.periodStart);
  const endMs = epochMs(command.periodEnd);
  if (!(endMs > startMs)) return accept();
  if (known?.endedAt != null && startMs >= epochMs(known.endedAt)) return accept();
  if (known?.period && startMs <= epochMs(known.period.periodStart)) return accept();
  const pending =
    known?.pendingPlan && epochMs(known.pendingPlan.periodStart) === startMs
      ? known.pendingPlan.plan
      : null;
  const plan: SubscriptionPlanTerms =
    pending && pending.creditsPerPeriod > command.plan.creditsPerPeriod ? pending : command.plan;
  const credits = endMs > nowMs ? plan.creditsPerPeriod : 0;
  const rollover: Rollover | null = known?.period
    ? rolloverOf(known.period, situation, command.rolloverBlockId)
    : null;
  const rolled = rollover?.record.credits ?? 0;
  if (credits + rolled > 0) {
    const rejection = newBlockRejection(situation, {
      blockId: command.blockId,
      credits: credits + rolled,
    });
    if (rejection) return reject(rejection);
  }
  const expiresAt = isoAt(endMs);
  const events: EventDraft[] = [...(rollover?.closing ?? [])];
  events.push({
    type: known?.period ? 'SubscriptionRenewed' : 'SubscriptionStarted',
    data: {
      subscriptionId: command.subscriptionId,
      invoiceId: command.invoiceId,
      plan,
      periodStart: isoAt(startMs),
      periodEnd: expiresAt,
      credits,
      ...(credits > 0 && { blockId: command.blockId }),
      ...(rollover && { rollover: rollover.record }),
    },
  });
  if (credits > 0) {
    events.push({
      type: 'CreditsGranted',
      data: {
        blockId: command.blockId,
        credits,
        category: 'promotional',
        reason: 'subscription',
        expiresAt,
      },
    });
  }
  if (rollover?.record.blockId !== undefined && rollover.record.expiresAt !== undefined) {
    events.push({
      type: 'CreditsGranted',
      data: {
        blockId: rollover.record.blockId,
        credits: rollover.record.credits,
        category: 'promotional',
        reason: 'rollover',
        expiresAt: rollover.record.expiresAt,
      },
    });
  }
  return accept(...events);
}
