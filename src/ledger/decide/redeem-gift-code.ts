import type { RedeemGiftCodeCommand } from '../commands';
import type { GiftCodeRedeemed } from '../events';
import { lookup } from '../keyed-records';
import { giftCodeClaim } from '../programs/gift-parts';
import { LedgerInvariantError } from '../errors';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { canonicalExpiry, newBlockRejection } from './new-block';

/**
 * A gift code lands in this account (PRODUCT.md §2), once: refused when this account already
 * redeemed it (its state), or when the event store said another account holds its claim. Each part
 * keeps the category and expiry it was funded with.
 */
export function decideRedeemGiftCode(
  command: RedeemGiftCodeCommand,
  situation: Situation,
): RulesOutcome {
  const { state, purchaseRefsHeldElsewhere } = situation;
  if (command.parts.length === 0 || command.parts.length !== command.blockIds.length)
    throw new LedgerInvariantError('a gift code redemption needs one block id per part');
  if (
    lookup(state.extras.giftCodesRedeemed, command.codeHash) ||
    purchaseRefsHeldElsewhere?.has(giftCodeClaim(command.codeHash))
  )
    return reject({ code: 'gift_code_redeemed', codeHash: command.codeHash });
  const credits = command.parts.reduce((total, part) => total + part.credits, 0);
  const blocks: GiftCodeRedeemed['data']['blocks'] = command.parts.map((part, index) => ({
    blockId: command.blockIds[index],
    credits: part.credits,
    category: part.category,
    ...canonicalExpiry(part.expiresAt ?? undefined),
  }));
  for (const block of blocks) {
    // A code never outlives its credits (minting caps its expiry at its parts'), so a part past its
    // expiry here means clocks disagree: refused like any block born expired.
    const rejection = newBlockRejection(situation, { ...block, credits });
    if (rejection) return reject(rejection);
  }
  return accept({
    type: 'GiftCodeRedeemed',
    data: {
      codeHash: command.codeHash,
      credits,
      blocks,
      ...(command.fundedBy !== undefined && { fundedBy: command.fundedBy }),
    },
  });
}
