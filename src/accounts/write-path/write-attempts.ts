import { Injectable } from '@nestjs/common';
import {
  ClaimHeldElsewhereError,
  WrongExpectedRevisionError,
  type AppendResult,
} from '../../event-store/event-store.port';
import type { LedgerCommand } from '../../ledger/commands';
import { foldIntoRecalled } from '../../ledger/compact-state';
import { Clock } from '../../shared/clock';
import { AccountRepository } from './account-repository';
import { decideBatch, type DecidedBatch } from './command-batch';
import type { QueuedCommand } from './queued-command';
import { SpendRecall } from './spend-recall';

/** Where the state an optimistic attempt decides on comes from. */
export type Freshness =
  /** The cached state as it is, maybe behind the store: one append, no read. */
  | 'cached'
  /** The cached state, just caught up with the store: no need to read again. */
  | 'current'
  /** The cached state caught up with the store first (after a lost race or a refused append). */
  | 'reload';

/** How one attempt at a batch ended. Anything else is thrown, and nothing was written. */
export type AttemptResult =
  | { kind: 'written'; decided: DecidedBatch; appended: AppendResult }
  /** Every command was refused, replayed or a no-op. `decidedOnRevision`: the state's revision. */
  | { kind: 'nothing-to-write'; decided: DecidedBatch; decidedOnRevision: number }
  /** Another writer appended first; nothing was written and the cached state was dropped. */
  | { kind: 'lost-race' }
  /** Another account holds the reference of the batch's purchase; nothing was written. */
  | { kind: 'claim-held-elsewhere'; refused: ClaimHeldElsewhereError };

/** One try at deciding and appending a batch, each way the store allows (RetryPolicy picks). */
export interface BatchAttempts {
  /** Whether the store can hold a stream while deciding (EventStore.appendExclusive). */
  readonly canHoldStream: boolean;
  /** Decides on the state `freshness` names and appends with its revision as the expectation. */
  optimistic(
    accountId: string,
    batch: readonly QueuedCommand[],
    freshness: Freshness,
    purchaseRefsHeldElsewhere: ReadonlyMap<string, string>,
  ): Promise<AttemptResult>;
  /** Holds the stream, folds in what others wrote, decides and appends: cannot lose a race. */
  exclusive(
    accountId: string,
    batch: readonly QueuedCommand[],
    purchaseRefsHeldElsewhere: ReadonlyMap<string, string>,
  ): Promise<AttemptResult>;
  /** Folds into the cached state what the store has after `revision`; true when it had any. */
  caughtUpFrom(accountId: string, revision: number): Promise<boolean>;
}

/**
 * The attempts themselves: load (AccountRepository), recall the spends refunds need (SpendRecall),
 * decide the batch (decideBatch) and append. Which attempt runs when is RetryPolicy's business.
 */
@Injectable()
export class WriteAttempts implements BatchAttempts {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly spends: SpendRecall,
    private readonly clock: Clock,
  ) {}

  get canHoldStream(): boolean {
    return this.accounts.supportsExclusiveAppend;
  }

  async optimistic(
    accountId: string,
    batch: readonly QueuedCommand[],
    freshness: Freshness,
    purchaseRefsHeldElsewhere: ReadonlyMap<string, string>,
  ): Promise<AttemptResult> {
    const state =
      freshness === 'reload'
        ? await this.accounts.refresh(accountId)
        : await this.accounts.load(accountId);
    const recalled = await this.spends.recall(accountId, state, commandsOf(batch));
    const decidedOnRevision = state.revision;
    let decided: DecidedBatch;
    try {
      decided = decideBatch(state, batch, this.clock.now(), recalled, purchaseRefsHeldElsewhere);
    } catch (error) {
      // decideBatch folds as it goes: a throw half-way leaves unwritten events in the cached state.
      this.accounts.forget(accountId);
      throw error;
    }
    if (decided.events.length === 0)
      return { kind: 'nothing-to-write', decided, decidedOnRevision };
    try {
      const appended = await this.accounts.appendFolded(
        accountId,
        state,
        decidedOnRevision,
        decided.events,
      );
      return { kind: 'written', decided, appended };
    } catch (error) {
      // appendFolded dropped the state it had folded into: the next attempt reads the stream.
      return notWritten(error);
    }
  }

  async exclusive(
    accountId: string,
    batch: readonly QueuedCommand[],
    purchaseRefsHeldElsewhere: ReadonlyMap<string, string>,
  ): Promise<AttemptResult> {
    const state = await this.accounts.load(accountId);
    // Recalled as of state.revision: the tail read while holding the stream may refund them more.
    const recalled = await this.spends.recall(accountId, state, commandsOf(batch));
    let decided: DecidedBatch = { decisions: [], events: [] };
    let decidedOnRevision = state.revision;
    try {
      const appended = await this.accounts.appendExclusive(accountId, state, (current, tail) => {
        for (const event of tail) foldIntoRecalled(recalled, event);
        decidedOnRevision = current.revision;
        decided = decideBatch(
          current,
          batch,
          this.clock.now(),
          recalled,
          purchaseRefsHeldElsewhere,
        );
        return decided.events;
      });
      return appended === null
        ? { kind: 'nothing-to-write', decided, decidedOnRevision }
        : { kind: 'written', decided, appended };
    } catch (error) {
      // Lost only when the stream did not exist yet and another process created it first.
      return notWritten(error);
    }
  }

  async caughtUpFrom(accountId: string, revision: number): Promise<boolean> {
    const refreshed = await this.accounts.refresh(accountId);
    return refreshed.revision !== revision;
  }
}

/** The results an append's refusal makes; any other error is rethrown. */
function notWritten(error: unknown): AttemptResult {
  if (error instanceof WrongExpectedRevisionError) return { kind: 'lost-race' };
  if (error instanceof ClaimHeldElsewhereError)
    return { kind: 'claim-held-elsewhere', refused: error };
  throw error;
}

function commandsOf(batch: readonly QueuedCommand[]): LedgerCommand[] {
  return batch.map(({ command }) => command);
}
