import { decide, evolve, viewAt, type Decision } from '../../ledger/decider';
import type { LedgerCommand } from '../../ledger/commands';
import { foldIntoRecalled, type RecalledSpends } from '../../ledger/compact-state';
import type { LedgerEvent } from '../../ledger/events';
import type { BalanceView, LedgerState } from '../../ledger/state';
import type { CallerContext } from './caller-context';

export interface BatchCommand {
  command: LedgerCommand;
  context: CallerContext;
}

export type BatchDecision =
  /** Wrote `events`; its last event is event number `lastIndex` of the batch's append. */
  | { kind: 'written'; events: LedgerEvent[]; lastIndex: number; view: BalanceView }
  /** Wrote nothing; `revision` is the account's revision when it was decided. */
  | { kind: 'not-written'; decision: Decision; view: BalanceView; revision: number };

export interface DecidedBatch {
  /** One per command, in command order. */
  decisions: BatchDecision[];
  /** Every event to append, in command order. */
  events: LedgerEvent[];
}

/**
 * Decides queued commands of one account in order, each on the state the previous ones left:
 * accepted events are folded into `state` at once (the caller appends them all in one write, or
 * drops the state if that fails), and into `recalledSpends` (SpendRecall), which the batch's
 * refunds decide on: pruning may drop a spend from the state half-way. `purchaseRefsHeldElsewhere`
 * are the references the event store said other accounts hold.
 * The same rules as one command at a time, fewer round trips.
 */
export function decideBatch(
  state: LedgerState,
  commands: readonly BatchCommand[],
  now: Date,
  recalledSpends: RecalledSpends,
  purchaseRefsHeldElsewhere?: ReadonlyMap<string, string>,
): DecidedBatch {
  const events: LedgerEvent[] = [];
  const decisions = commands.map(({ command, context }): BatchDecision => {
    const decision = decide(
      command,
      state,
      { ...context, now, purchaseRefsHeldElsewhere },
      recalledSpends,
    );
    if (decision.kind !== 'accepted' || decision.events.length === 0)
      return { kind: 'not-written', decision, view: viewAt(state, now), revision: state.revision };
    for (const event of decision.events) {
      evolve(state, event);
      foldIntoRecalled(recalledSpends, event);
    }
    events.push(...decision.events);
    return {
      kind: 'written',
      events: decision.events,
      lastIndex: events.length - 1,
      view: viewAt(state, now),
    };
  });
  return { decisions, events };
}
