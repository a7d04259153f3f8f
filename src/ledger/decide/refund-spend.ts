import type { RefundSpendCommand } from '../commands';
import type { Situation } from './situation';
import { sumCredits, takeLastDrawn } from '../block-amounts';
import { expireReturnedCredits } from '../expiry';
import { refundableSpend } from '../compact-state';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * LEDGER.md "Refund": up to what is left of the spend goes back to the blocks it came from,
 * last-drawn first; what lands in a block that has expired since is expired in the same append.
 * A refund of a spend with nothing left is refused (spend_fully_refunded: a state of the spend, not
 * a bad amount) rather than written as zero.
 */
export function decideRefundSpend(
  command: RefundSpendCommand,
  { state, nowMs, recalledSpends }: Situation,
): RulesOutcome {
  const spend = refundableSpend(state, recalledSpends, command.spendId);
  if (!spend) return reject({ code: 'not_found', entity: 'spend', id: command.spendId });
  const refundable = sumCredits(spend.refundable);
  if (refundable === 0) return reject({ code: 'spend_fully_refunded', spendId: command.spendId });
  const credits = command.credits ?? refundable;
  if (credits > refundable || credits === 0) {
    return reject({
      code: 'refund_exceeds_spend',
      spendId: command.spendId,
      refundable,
      requested: credits,
    });
  }
  const returnedTo = takeLastDrawn(spend.refundable, credits);
  return accept(
    {
      type: 'CreditsRefunded',
      data: {
        refundId: command.refundId,
        spendId: command.spendId,
        credits,
        reason: command.reason,
        returnedTo,
      },
    },
    ...expireReturnedCredits(state, returnedTo, nowMs),
  );
}
