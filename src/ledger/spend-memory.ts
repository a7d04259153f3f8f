import type { LedgerCommand } from './commands';
import type { BlockAmount, LedgerEvent } from './events';
import type { LedgerState, SpendRecord } from './state';
import { blockOf } from './blocks';
import { copyAmounts, withoutAmounts } from './block-amounts';
import { lookup, remove } from './keyed-records';
import { putInState } from './state-records';

/**
 * A refund needs what is left of its spend, per block. Remembering every spend forever made a
 * long account's state (and its snapshot) grow with its history: 100,000 spends cost ~0.3 s to
 * load. So the state keeps the `recentSpendsKept` most recently touched spends. Before deciding
 * a batch, the application gathers the spends its refunds need (refundTargets, then for forgotten
 * ones spendIdsToLookUp → the store's findInStream → foldIntoRecalled) and passes them to decide
 * in the command's context. Pruning depends only on the events folded, so every fold of a stream
 * forgets the same spends, and a state is always exactly the fold of its events.
 */

/** Spends folded in with `touchedRevision` = the revision of that event. */
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

/** A refund folded in: what it gave back is no longer refundable. A forgotten spend has nothing to update. */
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

/** What a refund needs of a spend. */
export interface RecalledSpend {
  refundable: BlockAmount[];
}

/**
 * The spends the refunds of one batch of commands need, by spendId (null: not known yet), kept
 * apart from the state for that batch. Deciding a batch folds its events as it goes, and pruning
 * may drop a spend between the start of the batch and its refund; a state forgot older spends
 * before. These travel in the command's context, never in the state, so a state stays exactly the
 * fold of its events.
 */
export type RecalledSpends = Map<string, RecalledSpend | null>;

/** What deciding sees of RecalledSpends. */
export type RecalledSpendsView = ReadonlyMap<string, RecalledSpend | null>;

/** One entry per refunded spend of `commands`: a copy of what the state remembers, else null. */
export function refundTargets(
  state: LedgerState,
  commands: Iterable<LedgerCommand>,
): RecalledSpends {
  const recalled: RecalledSpends = new Map();
  for (const command of commands) {
    if (command.kind !== 'refund' || recalled.has(command.spendId)) continue;
    const remembered = lookup(state.spends, command.spendId);
    recalled.set(
      command.spendId,
      remembered ? { refundable: copyAmounts(remembered.refundable) } : null,
    );
  }
  return recalled;
}

/** The spends of `recalled` that only the stream can tell: none while the state forgot nothing. */
export function spendIdsToLookUp(state: LedgerState, recalled: RecalledSpends): string[] {
  if (state.forgottenSpends === 0) return [];
  return [...recalled].filter(([, spend]) => spend === null).map(([spendId]) => spendId);
}

/**
 * Keeps the batch's spends current as events are folded: fills in a spend from its CreditsSpent
 * (one made in the batch, or one looked up in the stream), follows its refunds. A spend no event
 * fills in stays null: its refund is then `not_found`, as for any unknown spend.
 */
export function foldIntoRecalled(recalled: RecalledSpends, event: LedgerEvent): void {
  if (event.type === 'CreditsSpent' && recalled.get(event.data.spendId) === null) {
    recalled.set(event.data.spendId, { refundable: copyAmounts(event.data.drawdown) });
  } else if (event.type === 'CreditsRefunded') {
    const spend = recalled.get(event.data.spendId);
    if (spend) spend.refundable = withoutAmounts(spend.refundable, event.data.returnedTo, 'last');
  }
}

/** The refundable parts of a spend: as the batch followed it, else as the state remembers it. */
export function refundableSpend(
  state: LedgerState,
  recalled: RecalledSpendsView | undefined,
  spendId: string,
): RecalledSpend | undefined {
  return recalled?.get(spendId) ?? lookup(state.spends, spendId);
}

function putNew(state: LedgerState, spendId: string, record: SpendRecord): void {
  if (!lookup(state.spends, spendId)) state.rememberedSpends += 1;
  putInState(state, 'spends', spendId, record);
}

function forgetOldestSpends(state: LedgerState, kept: number): void {
  const newestFirst = Object.entries(state.spends).sort(
    ([, a], [, b]) => b.touchedRevision - a.touchedRevision,
  );
  for (const [spendId] of newestFirst.slice(kept)) remove(state.spends, spendId);
  state.forgottenSpends += newestFirst.length - kept;
  state.rememberedSpends = kept;
}

/** The amounts with the state's own copy of each block id: a cached account keeps one string per block. */
function ownAmounts(state: LedgerState, amounts: readonly BlockAmount[]): BlockAmount[] {
  return amounts.map(({ blockId, credits }) => ({
    blockId: blockOf(state, blockId).blockId,
    credits,
  }));
}
