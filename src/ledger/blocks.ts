import type { BlockSource, GrantReason } from './events';
import type { CreditBlock, LedgerState } from './state';
import { type EpochMs, isDue } from './instants';
import { LedgerInvariantError } from './errors';
import { lookup } from './keyed-records';

/** A grant's block source: subscription and rollover grants are shown apart, any other is a grant. */
export function sourceOfGrant(reason: GrantReason): BlockSource {
  return reason === 'subscription' || reason === 'rollover' ? reason : 'grant';
}

/** The block's time is over: what it holds (or gets back) is lost, whether or not that is written yet. */
export function isGone(block: CreditBlock, nowMs: EpochMs): boolean {
  return block.expired || isDue(block.expiresAt, nowMs);
}

export function blockOf(state: LedgerState, blockId: string): CreditBlock {
  const block = lookup(state.blocks, blockId);
  if (!block) throw new LedgerInvariantError(`unknown block ${blockId}`);
  return block;
}

/**
 * Moves credits into (+) or out of (−) a block. `unexpiredRemaining` follows every block, so that
 * balance = unexpiredRemaining + reserved equals credits in − credits out after every event, even
 * between a refund into an expired block and the CreditsExpired that follows it in the same append.
 */
export function adjustRemaining(state: LedgerState, blockId: string, delta: number): void {
  const block = blockOf(state, blockId);
  if (block.remaining + delta < 0) {
    throw new LedgerInvariantError(
      `block ${blockId}: would go to ${block.remaining + delta} credits`,
    );
  }
  const held = block.remaining > 0;
  block.remaining += delta;
  state.unexpiredRemaining += delta;
  // The list changes only when the block starts or stops holding credits (most spends leave their
  // block with some), and is replaced then, never written in place: a copy of a state, or the
  // empty list every new state starts with, never shares a change.
  // (concat and slice allocate the exact length; a spread would leave room for 16 more ids.)
  if (block.remaining > 0) {
    if (!held) state.blockIdsWithCredits = state.blockIdsWithCredits.concat(block.blockId);
  } else if (held) {
    const ids = state.blockIdsWithCredits;
    const at = ids.indexOf(blockId);
    state.blockIdsWithCredits =
      ids.length === 1 ? NO_BLOCK_IDS : ids.slice(0, at).concat(ids.slice(at + 1));
  }
}

/** What a new state starts with: shared, hence frozen. */
export const NO_BLOCK_IDS: readonly string[] = Object.freeze([]);

/** The blocks that still hold credits, expired or not, in no particular order. */
export function blocksWithCredits(state: LedgerState): CreditBlock[] {
  return state.blockIdsWithCredits.map((blockId) => blockOf(state, blockId));
}

/** The named blocks that exist, each once (ids from drawdowns, holds or refunds). */
export function blocksNamed(state: LedgerState, blockIds: Iterable<string>): CreditBlock[] {
  const blocks: CreditBlock[] = [];
  for (const blockId of new Set(blockIds)) {
    const block = lookup(state.blocks, blockId);
    if (block) blocks.push(block);
  }
  return blocks;
}
