import type { ReturnTransferCommand } from '../commands';
import { takeLastDrawn } from '../block-amounts';
import { expireReturnedCredits } from '../expiry';
import { lookup } from '../keyed-records';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * A declined transfer's credits go back to the blocks they came from, once; what lands in a block
 * that expired meanwhile is expired in the same append (as a refund does). Allowed on a closed
 * account: the credits were its own.
 */
export function decideReturnTransfer(
  command: ReturnTransferCommand,
  { state, nowMs }: Situation,
): RulesOutcome {
  const sent = lookup(state.extras.transfersOut, command.transferId);
  if (!sent) return reject({ code: 'not_found', entity: 'transfer', id: command.transferId });
  if (sent.returned) return accept();
  const returnedTo = takeLastDrawn(sent.drawdown);
  return accept(
    {
      type: 'TransferReturned',
      data: {
        transferId: command.transferId,
        to: sent.to,
        credits: sent.credits,
        purpose: sent.purpose,
        reason: command.reason,
        returnedTo,
      },
    },
    ...expireReturnedCredits(state, returnedTo, nowMs),
  );
}
