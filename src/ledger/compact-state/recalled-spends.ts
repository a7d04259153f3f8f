import type { LedgerCommand } from '../commands';
import type { BlockAmount, LedgerEvent } from '../events';
import type { LedgerState } from '../state';
import { copyAmounts, withoutAmounts } from '../block-amounts';
import { lookup } from '../keyed-records';

/**
 * The state forgets old spends (recent-spends.ts), yet a refund of one must decide on what is
 * left of it. So before deciding a batch, the write path recalls the spends its refunds name: a
 * copy of what the state remembers (refundTargets), and for the forgotten ones their events from
 * the stream (spendIdsToLookUp, then foldIntoRecalled). The copy is decide's input beside the
 * state, never part of it: deciding a batch folds its events as it goes, and pruning may drop a
 * spend between the start of the batch and its refund, so every event folded after the recall is
 * folded into it too.
 */

/** What a refund needs of a spend: what is left of it, per block, in drawdown order. */
export interface RecalledSpend {
  refundable: BlockAmount[];
}

/** The spends the refunds of one batch name, by spendId; null: no event seen names it (yet). */
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
