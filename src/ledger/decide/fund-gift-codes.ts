import type { FundGiftCodesCommand } from '../commands';
import { drawFrom } from '../drawdown';
import type { EscrowedAmount } from '../events';
import { blockOf } from '../blocks';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * Gift codes funded by this account (PRODUCT.md §2): their credits leave it into escrow at minting,
 * all or nothing, drawn like a spend. The drawdown records each block's category and expiry, so
 * the receivers of the codes get the same (giftParts).
 */
export function decideFundGiftCodes(
  command: FundGiftCodesCommand,
  { state, view }: Situation,
): RulesOutcome {
  const credits = command.creditsPerCode * command.count;
  if (view.available < credits)
    return reject({ code: 'insufficient_credits', available: view.available, required: credits });
  const drawdown: EscrowedAmount[] = drawFrom(view.blocks, credits).map((amount) => {
    const block = blockOf(state, amount.blockId);
    return { ...amount, category: block.category, expiresAt: block.expiresAt };
  });
  return accept({
    type: 'GiftCodesFunded',
    data: {
      mintId: command.mintId,
      credits,
      count: command.count,
      creditsPerCode: command.creditsPerCode,
      drawdown,
    },
  });
}
