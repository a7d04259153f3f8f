import type { BlockAmount } from './events';
import type { CreditBlock } from './state';
import { epochMs } from './instants';

/**
 * LEDGER.md "Drawdown order": soonest expiry first (never-expiring last), then promotional before
 * paid, then oldest grant, then blockId so that the order is total and every replica agrees.
 * Sorted on keys computed once per block: parsing dates inside the comparator made a spend on an
 * account with thousands of live blocks cost a million Date.parse calls.
 */
export function inDrawdownOrder(blocks: Iterable<CreditBlock>): CreditBlock[] {
  return [...blocks]
    .map(drawdownKey)
    .sort(compareKeys)
    .map((key) => key.block);
}

/** Takes `credits` from `blocks` in their order; the caller has checked there is enough. */
export function drawFrom(blocks: readonly CreditBlock[], credits: number): BlockAmount[] {
  const drawdown: BlockAmount[] = [];
  let wanted = credits;
  for (const block of blocks) {
    if (wanted === 0) break;
    const part = Math.min(block.remaining, wanted);
    if (part > 0) drawdown.push({ blockId: block.blockId, credits: part });
    wanted -= part;
  }
  return drawdown;
}

interface DrawdownKey {
  block: CreditBlock;
  expiresAtMs: number;
  categoryRank: number;
  grantedAtMs: number;
}

function drawdownKey(block: CreditBlock): DrawdownKey {
  return {
    block,
    expiresAtMs: block.expiresAt === null ? Number.POSITIVE_INFINITY : epochMs(block.expiresAt),
    categoryRank: block.category === 'promotional' ? 0 : 1,
    grantedAtMs: epochMs(block.grantedAt),
  };
}

function compareKeys(a: DrawdownKey, b: DrawdownKey): number {
  return (
    compareNumbers(a.expiresAtMs, b.expiresAtMs) ||
    compareNumbers(a.categoryRank, b.categoryRank) ||
    compareNumbers(a.grantedAtMs, b.grantedAtMs) ||
    compareStrings(a.block.blockId, b.block.blockId)
  );
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  // Code-unit order, not localeCompare: the result must not depend on the host's locale.
  return a === b ? 0 : a < b ? -1 : 1;
}
