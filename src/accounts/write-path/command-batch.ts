import { decide, evolve, viewAt, type Decision } from '../../ledger/decider';
import type { CommandContext, LedgerCommand } from '../../ledger/commands';
import type { LedgerEvent } from '../../ledger/events';
import { foldIntoRecalled, type RecalledSpends } from '../../ledger/spend-memory';
import type { BalanceView, LedgerState } from '../../ledger/state';

export interface BatchCommand {
  command: LedgerCommand;
  context: Omit<CommandContext, 'now'>;
}

export type BatchDecision =
  /** Wrote `events`; its last event is batch event number `lastIndex`. */
  | { kind: 'written'; events: LedgerEvent[]; lastIndex: number; view: BalanceView }
  /** Wrote nothing; `revision` is the account's revision when it was decided. */
  | { kind: 'not-written'; decision: Decision; view: BalanceView; revision: number };

export interface DecidedBatch {
  decisions: BatchDecision[];
  /** Every event to append, in command order. */
  events: LedgerEvent[];
}

/**
 * Decides queued commands of one account in order, each on the state the previous ones left:
 * accepted events are folded into `state` at once (the caller appends them all in one write, or
 * drops the state if that fails), and into `recalledSpends`, which the refunds of the batch decide
 * on (AccountRepository.recallSpends: pruning may drop a spend from the state half-way), and
 * `purchaseRefsHeldElsewhere`, the references the event store said other accounts hold.
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
    const decision = decide(command, state, {
      ...context,
      now,
      recalledSpends,
      purchaseRefsHeldElsewhere,
    });
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
