import type { RecordAutoTopUpCommand } from '../commands';
import { accept, type RulesOutcome } from './rules-outcome';

/**
 * A fact for notices and audits; it moves no credits. Recorded once per attempt by the caller's
 * Idempotency-Key (src/subscriptions/auto-top-up).
 */
export function decideRecordAutoTopUp(command: RecordAutoTopUpCommand): RulesOutcome {
  const { paymentIntentId, packId } = command;
  if (command.outcome === 'succeeded') {
    return accept({
      type: 'AutoTopUpSucceeded',
      data: { paymentIntentId, packId, credits: command.credits, purchaseId: command.purchaseId },
    });
  }
  return accept({
    type: 'AutoTopUpFailed',
    data: {
      paymentIntentId,
      packId,
      reason: command.reason,
      consecutiveFailures: command.consecutiveFailures,
      disabled: command.disabled,
    },
  });
}
