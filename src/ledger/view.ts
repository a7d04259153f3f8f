import type { BalanceView, CreditBlock, LedgerState } from './state';
import { blocksNamed, blocksWithCredits, isGone } from './blocks';
import { takeLastDrawn, totalsByBlock } from './block-amounts';
import { inDrawdownOrder } from './drawdown';
import { dueHolds } from './expiry';
import type { EpochMs } from './instants';

/**
 * Balances at `now`, exactly as they are once the lazy expiry due at `now` is written: blocks past
 * their expiresAt count as gone, and holds past their deadline count as returned to their blocks
 * (and lost with them if those blocks are gone too). The decider reads the account through this
 * view, so it never needs a copy of the state with that expiry folded in.
 */
export function viewAt(state: LedgerState, now: Date): BalanceView {
  return viewAtMs(state, now.getTime());
}

export function viewAtMs(state: LedgerState, nowMs: EpochMs): BalanceView {
  const due = dueHolds(state, nowMs);
  const comingBack = totalsByBlock(due.flatMap((hold) => takeLastDrawn(hold.drawdown)));
  const candidates = new Set([
    ...blocksWithCredits(state),
    ...blocksNamed(state, comingBack.keys()),
  ]);
  const blocks = inDrawdownOrder([...candidates].filter((block) => !isGone(block, nowMs)))
    .map((block) =>
      copyWithRemaining(block, block.remaining + (comingBack.get(block.blockId) ?? 0)),
    )
    .filter((block) => block.remaining > 0);
  const available = blocks.reduce((sum, block) => sum + block.remaining, 0);
  const reserved = due.reduce((left, hold) => left - hold.credits, state.reserved);
  return { balance: available + reserved, available, reserved, blocks };
}

export interface CreditCheck {
  sufficient: boolean;
  available: number;
  balance: number;
}

/** API.md "check": could a spend of `credits` succeed at `now`? Writes and changes nothing. */
export function checkCredits(state: LedgerState, credits: number, now: Date): CreditCheck {
  const { available, balance } = viewAt(state, now);
  return { sufficient: available >= credits, available, balance };
}

/** The view hands blocks to callers: copies, so nothing they do can reach the state. */
function copyWithRemaining(block: CreditBlock, remaining: number): CreditBlock {
  const copy: CreditBlock = { ...block, remaining };
  if (block.costBasis) copy.costBasis = { ...block.costBasis };
  return copy;
}
