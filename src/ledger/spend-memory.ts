import type { BlockAmount } from './events';
import type { LedgerCommand } from './commands';
import type { LedgerEvent } from './events';
import type { LedgerState, SpendRecord } from './state';
import { blockOf } from './blocks';
import { copyAmounts, withoutAmounts } from './block-amounts';
import { lookup, remove } from './keyed-records';
import { putInState } from './state-records';

/**
 * A refund needs what is left of its spend, per block. Remembering every spend forever made a
 * long account's state (and its snapshot) grow with its history: 100,000 spends cost ~0.3 s to
 * load. So the state keeps the `recentSpendsKept` most recently touched spends, and the
 * application recalls an older one from the stream before deciding a refund of it
 * (spendIdsToRecall → the store's findInStream → recallSpend, passed to decide in the command's
 * context). Pruning depends only on the events folded, so every fold of a stream forgets the same
 * spends, and a state is always exactly the fold of its events.
 */

/** Spends folded in with `touchedRevision` = the revision of that event. */
export function rememberSpend(state: LedgerState, spendId: string, credits: number, drawdown: readonly BlockAmount[]): void {
  putNew(state, spendId, { credits, refundable: ownAmounts(state, drawdown), touchedRevision: state.revision });
  const kept = state.options.recentSpendsKept;
  // Pruning sorts the map: doing it a quarter of the limit at a time keeps the cost per spend flat.
  if (state.rememberedSpends > kept + Math.ceil(kept / 4)) forgetOldestSpends(state, kept);
}

/** A refund folded in: what it gave back is no longer refundable. A forgotten spend has nothing to update. */
export function refundFromSpend(state: LedgerState, spendId: string, returnedTo: readonly BlockAmount[]): boolean {
  const spend = lookup(state.spends, spendId);
  if (!spend) return state.forgottenSpends > 0;
  spend.refundable = withoutAmounts(spend.refundable, returnedTo, 'last');
  spend.touchedRevision = state.revision;
  return true;
}

/** The spends that refunds among `commands` need and the state may have forgotten. */
export function spendIdsToRecall(state: LedgerState, commands: Iterable<LedgerCommand>): string[] {
  if (state.forgottenSpends === 0) return [];
  const spendIds = new Set<string>();
  for (const command of commands) {
    if (command.kind === 'refund' && !lookup(state.spends, command.spendId)) spendIds.add(command.spendId);
  }
  return [...spendIds];
}

/** What a refund needs of a spend the state forgot. */
export interface RecalledSpend {
  refundable: BlockAmount[];
}

/**
 * Forgotten spends looked up in the stream for one decision, by spendId. They travel in the
 * command's context, never in the state, so a state stays exactly the fold of its events.
 */
export type RecalledSpends = Map<string, RecalledSpend>;

/**
 * Adds a forgotten spend as its CreditsSpent and CreditsRefunded events leave it (any other
 * events are ignored). Events after these must go through foldIntoRecalled. A spend the events do
 * not contain is not added: its refund is then `not_found`, as for any unknown spend.
 */
export function recallSpend(recalled: RecalledSpends, spendId: string, events: readonly LedgerEvent[]): void {
  let spend: RecalledSpend | null = null;
  for (const event of events) {
    if (event.type === 'CreditsSpent' && event.data.spendId === spendId) spend = { refundable: copyAmounts(event.data.drawdown) };
    else if (event.type === 'CreditsRefunded' && event.data.spendId === spendId && spend) foldRefund(spend, event.data.returnedTo);
  }
  if (spend) recalled.set(spendId, spend);
}

/** Keeps recalled spends current as later events are folded into the state. */
export function foldIntoRecalled(recalled: RecalledSpends, event: LedgerEvent): void {
  if (event.type !== 'CreditsRefunded') return;
  const spend = recalled.get(event.data.spendId);
  if (spend) foldRefund(spend, event.data.returnedTo);
}

/** The refundable parts of a spend: remembered by the state, or recalled for this decision. */
export function refundableSpend(state: LedgerState, recalled: ReadonlyMap<string, RecalledSpend> | undefined, spendId: string): RecalledSpend | undefined {
  return lookup(state.spends, spendId) ?? recalled?.get(spendId);
}

function foldRefund(spend: RecalledSpend, returnedTo: readonly BlockAmount[]): void {
  spend.refundable = withoutAmounts(spend.refundable, returnedTo, 'last');
}

function putNew(state: LedgerState, spendId: string, record: SpendRecord): void {
  if (!lookup(state.spends, spendId)) state.rememberedSpends += 1;
  putInState(state, 'spends', spendId, record);
}

function forgetOldestSpends(state: LedgerState, kept: number): void {
  const newestFirst = Object.entries(state.spends).sort(([, a], [, b]) => b.touchedRevision - a.touchedRevision);
  for (const [spendId] of newestFirst.slice(kept)) remove(state.spends, spendId);
  state.forgottenSpends += newestFirst.length - kept;
  state.rememberedSpends = kept;
}

/** The amounts with the state's own copy of each block id: a cached account keeps one string per block. */
function ownAmounts(state: LedgerState, amounts: readonly BlockAmount[]): BlockAmount[] {
  return amounts.map(({ blockId, credits }) => ({ blockId: blockOf(state, blockId).blockId, credits }));
}
