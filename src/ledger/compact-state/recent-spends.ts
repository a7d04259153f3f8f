import type { BlockAmount } from '../events';
import type { LedgerState, SpendRecord } from '../state';
import { withoutAmounts } from '../block-amounts';
import { LedgerInvariantError } from '../errors';
import { lookup } from '../keyed-records';
import { emptyRecords, putInState, removeFromState } from './shared-empty-records';

/**
 * A refund needs what is left of its spend, per block. Remembering every spend forever made a
 * long account's state (and its snapshot) grow with its history: 100,000 spends cost ~0.3 s to
 * load. So the state keeps the `recentSpendsKept` most recently touched spends, and counts the
 * ones it forgot. Pruning depends only on the events folded, so every fold of a stream forgets
 * the same spends (forgetAllSpends, for idle cached states, is the one exception). A refund of a
 * forgotten spend decides on a copy recalled from the stream instead (recalled-spends.ts).
 */

/**
 * Forgets every remembered spend at once (O(1)): what the account cache does to a state that is no
 * longer among the recently used (src/accounts/write-path/account-state-cache.ts). The state is as
 * valid as one that pruned them: a refund of one recalls it from the stream and decides the same.
 * Unlike pruning this depends on when it ran, so two folds of one stream may differ in the spends
 * they remember; never in what they decide.
 */
export function forgetAllSpends(state: LedgerState): void {
  if (state.rememberedSpends === 0) return;
  state.forgottenSpends += state.rememberedSpends;
  state.keyedRecords -= state.rememberedSpends;
  state.rememberedSpends = 0;
  state.spends = emptyRecords();
}

/** A spend folded in, with `touchedRevision` = the revision of its event. */
export function rememberSpend(
  state: LedgerState,
  spendId: string,
  credits: number,
  drawdown: readonly BlockAmount[],
): void {
  putNew(state, spendId, {
    credits,
    refundable: ownAmounts(state, drawdown),
    touchedRevision: state.revision,
  });
  const kept = state.options.recentSpendsKept;
  // Pruning sorts the map: doing it a quarter of the limit at a time keeps the cost per spend flat.
  if (state.rememberedSpends > kept + Math.ceil(kept / 4)) forgetOldestSpends(state, kept);
}

/**
 * A refund folded in: what it gave back is no longer refundable. False when no fold could know
 * the spend (nothing was ever forgotten, and it is not remembered); a forgotten spend has nothing
 * to update.
 */
export function refundFromSpend(
  state: LedgerState,
  spendId: string,
  returnedTo: readonly BlockAmount[],
): boolean {
  const spend = lookup(state.spends, spendId);
  if (!spend) return state.forgottenSpends > 0;
  spend.refundable = withoutAmounts(spend.refundable, returnedTo, 'last');
  spend.touchedRevision = state.revision;
  return true;
}

function putNew(state: LedgerState, spendId: string, record: SpendRecord): void {
  if (!lookup(state.spends, spendId)) state.rememberedSpends += 1;
  putInState(state, 'spends', spendId, record);
}

function forgetOldestSpends(state: LedgerState, kept: number): void {
  const newestFirst = Object.entries(state.spends).sort(
    ([, a], [, b]) => b.touchedRevision - a.touchedRevision,
  );
  for (const [spendId] of newestFirst.slice(kept)) removeFromState(state, 'spends', spendId);
  state.forgottenSpends += newestFirst.length - kept;
  state.rememberedSpends = kept;
}

/** The amounts with the state's own copy of each block id: a cached state keeps one per block. */
function ownAmounts(state: LedgerState, amounts: readonly BlockAmount[]): BlockAmount[] {
  return amounts.map(({ blockId, credits }) => {
    // blocks.ts's blockOf, inlined: blocks.ts writes through this module (importing it: a cycle).
    const block = lookup(state.blocks, blockId);
    if (!block) throw new LedgerInvariantError(`unknown block ${blockId}`);
    return { blockId: block.blockId, credits };
  });
}
