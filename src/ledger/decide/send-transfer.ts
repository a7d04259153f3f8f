import type { SendTransferCommand } from '../commands';
import type { MovedCredits } from '../events';
import { drawFrom } from '../drawdown';
import { blockOf } from '../blocks';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { assertUnusedId } from './fresh-id';

/**
 * First step of a transfer (PRODUCT.md §2): like a spend, all or nothing from available credits in
 * drawdown order, so the source is never overdrawn. Each block drawn is named with its category
 * and expiry, which the destination's blocks keep.
 */
export function decideSendTransfer(
  command: SendTransferCommand,
  situation: Situation,
): RulesOutcome {
  const { state, view } = situation;
  assertUnusedId(state.extras.transfersOut, command.transferId, 'transfer');
  if (view.available < command.credits) {
    return reject({
      code: 'insufficient_credits',
      available: view.available,
      required: command.credits,
    });
  }
  return accept({
    type: 'TransferSent',
    data: {
      transferId: command.transferId,
      to: command.to,
      credits: command.credits,
      reason: command.reason,
      purpose: 'transfer',
      drawdown: movedFrom(situation, drawFrom(view.blocks, command.credits)),
    },
  });
}

/** The drawn amounts with what the receiving blocks keep of the blocks they came from. */
export function movedFrom(
  { state }: Situation,
  drawdown: readonly { blockId: string; credits: number }[],
): MovedCredits[] {
  return drawdown.map(({ blockId, credits }) => {
    const block = blockOf(state, blockId);
    return {
      blockId,
      credits,
      category: block.category,
      ...(block.expiresAt !== null && { expiresAt: block.expiresAt }),
    };
  });
}
