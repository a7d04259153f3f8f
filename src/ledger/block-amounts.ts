import type { BlockAmount } from './events';
import { LedgerInvariantError } from './errors';

/** Lists of `{ blockId, credits }`: drawdowns, holds, refundable parts of a spend. */

export function sumCredits(amounts: readonly BlockAmount[]): number {
  let total = 0;
  for (const amount of amounts) total += amount.credits;
  return total;
}

export function copyAmounts(amounts: readonly BlockAmount[]): BlockAmount[] {
  return amounts.map(({ blockId, credits }) => ({ blockId, credits }));
}

/** The first `credits` of a list, in its order (a capture takes a hold's first-drawn credits). */
export function takeFirstDrawn(amounts: readonly BlockAmount[], credits: number): BlockAmount[] {
  return takeInOrder(amounts, credits);
}

/**
 * Up to `credits` from the end of a list, last entry first: credits go back where they were drawn
 * from last, so the blocks drawn first (soonest to expire) stay the ones consumed.
 */
export function takeLastDrawn(
  amounts: readonly BlockAmount[],
  credits = sumCredits(amounts),
): BlockAmount[] {
  return takeInOrder([...amounts].reverse(), credits);
}

function takeInOrder(amounts: readonly BlockAmount[], credits: number): BlockAmount[] {
  const taken: BlockAmount[] = [];
  let wanted = credits;
  for (const { blockId, credits: there } of amounts) {
    if (wanted === 0) break;
    const part = Math.min(there, wanted);
    if (part > 0) taken.push({ blockId, credits: part });
    wanted -= part;
  }
  return taken;
}

/**
 * `list` without `amounts`, each taken per block from the given end. Used when folding: a capture
 * leaves a hold from its front, a refund leaves a spend from its back. An amount the list does not
 * hold means the stream is corrupt.
 */
export function withoutAmounts(
  list: readonly BlockAmount[],
  amounts: readonly BlockAmount[],
  fromEnd: 'first' | 'last',
): BlockAmount[] {
  const left = copyAmounts(list);
  const order = fromEnd === 'first' ? left : [...left].reverse();
  for (const { blockId, credits } of amounts) {
    let wanted = credits;
    for (const entry of order) {
      if (wanted === 0) break;
      if (entry.blockId !== blockId) continue;
      const part = Math.min(entry.credits, wanted);
      entry.credits -= part;
      wanted -= part;
    }
    if (wanted > 0)
      throw new LedgerInvariantError(
        `block ${blockId}: ${wanted} credits more than the list holds`,
      );
  }
  return left.filter((entry) => entry.credits > 0);
}

/** Credits per block, in the order each block first appears. */
export function totalsByBlock(amounts: readonly BlockAmount[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { blockId, credits } of amounts)
    totals.set(blockId, (totals.get(blockId) ?? 0) + credits);
  return totals;
}
