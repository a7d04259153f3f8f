import type { BlockCategory, EscrowedAmount } from '../events';
import { LedgerInvariantError } from '../errors';

/** What one gift code carries: credits of one category and expiry (a code may carry several). */
export interface GiftPart {
  credits: number;
  category: BlockCategory;
  expiresAt: string | null;
}

/**
 * The ledger-wide value a redemption claims in the event store (AppendOptions.claim), so that one
 * account, ever, redeems a code, across processes and on every store (docs/architecture.md "One
 * payment, one purchase"). Also the claim stream's name on EventStoreDB: never change it.
 */
export function giftCodeClaim(codeHash: string): string {
  return `gift-code-${codeHash}`;
}

/**
 * The parts of each of `count` codes funded by one escrow debit: code i takes credits
 * [i·creditsPerCode, (i+1)·creditsPerCode) of the drawdown, in drawdown order, so the receiver of
 * a funded code gets the categories and expiries the funder's credits had.
 */
export function giftParts(
  drawdown: readonly EscrowedAmount[],
  creditsPerCode: number,
  count: number,
): GiftPart[][] {
  const codes: GiftPart[][] = [];
  let index = 0;
  let leftInBlock = drawdown[0]?.credits ?? 0;
  for (let code = 0; code < count; code++) {
    const parts: GiftPart[] = [];
    let needed = creditsPerCode;
    while (needed > 0) {
      const block = drawdown[index];
      if (block === undefined)
        throw new LedgerInvariantError('gift escrow holds fewer credits than its codes');
      const taken = Math.min(needed, leftInBlock);
      if (taken > 0) {
        const last = parts.at(-1);
        if (last && last.category === block.category && last.expiresAt === block.expiresAt)
          last.credits += taken;
        else parts.push({ credits: taken, category: block.category, expiresAt: block.expiresAt });
      }
      needed -= taken;
      leftInBlock -= taken;
      if (leftInBlock === 0) {
        index += 1;
        leftInBlock = drawdown[index]?.credits ?? 0;
      }
    }
    codes.push(parts);
  }
  return codes;
}
