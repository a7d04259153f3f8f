import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import {
  ClaimHeldElsewhereError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
} from '../../event-store/event-store.port';
import type { LedgerCommand } from '../../ledger/commands';
import { foldIntoRecalled } from '../../ledger/spend-memory';
import type { LedgerState } from '../../ledger/state';
import { toLedgerEvent } from '../../ledger/upcast';
import { Clock } from '../../shared/clock';
import { AccountRepository } from './account-repository';
import { decideBatch, type BatchDecision, type DecidedBatch } from './command-batch';
import { CommandMetrics, type CommandResultLabel } from './command-metrics';
import { ConcurrencyConflictError, LedgerRejectedError } from './errors';
import { KeyedSerializer, QueueFullError } from './keyed-serializer';
import { ExecuteLedgerCommand, type CommandOutcome } from './ledger-command';
import { noteHeldElsewhere } from './purchase-claims';

/** Commands waiting for one account in this process before new ones are refused. */
export const MAX_QUEUED_COMMANDS_PER_ACCOUNT = 1_000;
/** Queued commands of one account decided together and written in one append. */
export const MAX_COMMANDS_PER_APPEND = 100;

/**
 * How many queued commands go into the next batch: up to MAX_COMMANDS_PER_APPEND, ending with the
 * first purchase, because an append claims at most one purchase reference (purchase-claims.ts).
 * Purchases are rare next to spends, so this costs batching next to nothing.
 */
export function nextBatchLength(
  queued: readonly { request: { command: { kind: string } } }[],
): number {
  const limit = Math.min(queued.length, MAX_COMMANDS_PER_APPEND);
  for (let index = 0; index < limit; index++)
    if (queued[index].request.command.kind === 'purchase') return index + 1;
  return limit;
}

/**
 * Pacing of optimistic retries, for event stores that cannot hold a stream: full jitter, so a
 * loser lets another process's burst pass instead of racing it head-on.
 */
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failedAttempts);
}

/** Where a decision's state comes from: the cache as it is, the cache known to be up to date, or a fresh read. */
type Freshness = 'cached' | 'current' | 'reload';

interface Pending {
  request: ExecuteLedgerCommand;
  resolve(outcome: CommandOutcome): void;
  reject(error: unknown): void;
  stopTimer(result: CommandResultLabel): void;
}

/**
 * Load → decide → append with the expected revision (ARCHITECTURE.md "Application").
 *
 * Commands for one account run one batch at a time in this process (KeyedSerializer), so
 * conflicts only come from other processes. Commands that queued up for an account meanwhile are
 * decided in order on the evolving state and written in ONE append; every answer waits for that
 * append. The first attempt decides on the cached state: one append, no read. After a conflict the
 * retry decides while holding the stream (appendExclusive) where the store can, so it cannot lose
 * again to a process appending from a hot cache; otherwise it reloads the tail and retries with
 * jittered backoff. `concurrency_conflict` only when COMMAND_MAX_ATTEMPTS are used up.
 *
 * A purchase's append claims its reference in the event store; when another account holds it the
 * store refuses the whole append (ClaimHeldElsewhereError), and the batch is decided again knowing
 * that, so only the purchase is refused (purchase_conflict) and the rest of the batch is written.
 * That is not a lost race: it uses no attempt.
 */
@CommandHandler(ExecuteLedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<ExecuteLedgerCommand> {
  private readonly logger = new Logger(LedgerCommandHandler.name);
  private readonly mailboxes = new Map<string, Pending[]>();

  constructor(
    private readonly accounts: AccountRepository,
    private readonly serializer: KeyedSerializer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: CommandMetrics,
  ) {}

  execute(request: ExecuteLedgerCommand): Promise<CommandOutcome> {
    const { accountId } = request;
    let mailbox = this.mailboxes.get(accountId);
    if (mailbox && mailbox.length >= MAX_QUEUED_COMMANDS_PER_ACCOUNT) {
      return Promise.reject(new QueueFullError(accountId, MAX_QUEUED_COMMANDS_PER_ACCOUNT));
    }
    const stopTimer = this.metrics.startCommand(request.command.kind);
    const answer = new Promise<CommandOutcome>((resolve, reject) => {
      if (!mailbox) {
        mailbox = [];
        this.mailboxes.set(accountId, mailbox);
        this.serializer
          .run(accountId, () => this.drain(accountId))
          .catch((error: unknown) => this.failAll(accountId, error));
      }
      mailbox.push({ request, resolve, reject, stopTimer });
    });
    return answer;
  }

  /** Runs under the account's serializer slot until its mailbox is empty. */
  private async drain(accountId: string): Promise<void> {
    const mailbox = this.mailboxes.get(accountId)!;
    while (mailbox.length > 0) {
      await this.executeBatch(accountId, mailbox.splice(0, nextBatchLength(mailbox)));
    }
    this.mailboxes.delete(accountId);
  }

  private failAll(accountId: string, error: unknown): void {
    const mailbox = this.mailboxes.get(accountId) ?? [];
    this.mailboxes.delete(accountId);
    for (const pending of mailbox) settleFailure(pending, error);
  }

  private async executeBatch(accountId: string, batch: Pending[]): Promise<void> {
    try {
      let freshness: Freshness = 'cached';
      const heldElsewhere = new Map<string, string>();
      for (let attempt = 1; attempt <= this.config.commandMaxAttempts; attempt++) {
        if (attempt > 1 && !this.accounts.supportsExclusiveAppend)
          await sleep(retryDelayMs(attempt));
        const exclusive = attempt > 1 && this.accounts.supportsExclusiveAppend;
        const settled = exclusive
          ? await this.tryExclusive(accountId, batch, heldElsewhere)
          : await this.tryOptimistic(accountId, batch, freshness, heldElsewhere);
        if (settled) return;
        for (const pending of batch) this.metrics.conflict(pending.request.command.kind);
        freshness = 'reload';
      }
      this.logger.warn(
        { accountId, commands: batch.length, attempts: this.config.commandMaxAttempts },
        'concurrency conflict: retries exhausted',
      );
      for (const pending of batch)
        settleFailure(
          pending,
          new ConcurrencyConflictError(accountId, this.config.commandMaxAttempts),
        );
    } catch (error) {
      if (batch.length > 1 && mayBeOneCommandsFault(error)) {
        // The batch's one append failed for a reason that may lie in one command's events (a value
        // the store refuses, a broken invariant): run each command alone so that only the guilty
        // one fails. Nothing was written and the cached state was dropped. At most batch.length
        // more appends, and only on this rare path.
        for (const pending of batch) await this.executeBatch(accountId, [pending]);
        return;
      }
      for (const pending of batch) settleFailure(pending, error);
    }
  }

  /** True when the batch was answered; false after a lost race. */
  private async tryOptimistic(
    accountId: string,
    batch: Pending[],
    freshness: Freshness,
    heldElsewhere: Map<string, string>,
  ): Promise<boolean> {
    const state =
      freshness === 'reload'
        ? await this.accounts.refresh(accountId)
        : await this.accounts.load(accountId);
    const recalled = await this.accounts.recallSpends(accountId, state, commandsOf(batch));
    const baseRevision = state.revision;
    const now = this.clock.now();
    let decided: DecidedBatch;
    try {
      decided = decideBatch(
        state,
        batch.map(({ request }) => request),
        now,
        recalled,
        heldElsewhere,
      );
    } catch (error) {
      // decideBatch folds as it goes: a throw half-way leaves unwritten events in the cached state.
      this.accounts.forget(accountId);
      throw error;
    }
    if (decided.events.length === 0) {
      // Refusals and no-ops must not rest on a stale cache: make sure the store has nothing newer.
      // hasNewerEvents folds the tail into the cached state, so deciding again needs no second read.
      if (freshness === 'cached' && (await this.hasNewerEvents(accountId, state)))
        return this.tryOptimistic(accountId, batch, 'current', heldElsewhere);
      await this.settle(accountId, batch, decided, null);
      return true;
    }
    try {
      const appended = await this.accounts.appendFolded(
        accountId,
        state,
        baseRevision,
        decided.events,
      );
      await this.settle(accountId, batch, decided, appended);
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      if (!(error instanceof ClaimHeldElsewhereError)) throw error;
      // appendFolded dropped the state it had folded into: decide again from the stream.
      noteHeldElsewhere(heldElsewhere, error);
      return this.tryOptimistic(accountId, batch, 'reload', heldElsewhere);
    }
  }

  private async tryExclusive(
    accountId: string,
    batch: Pending[],
    heldElsewhere: Map<string, string>,
  ): Promise<boolean> {
    const state = await this.accounts.load(accountId);
    // Recalled as of state.revision: the tail read while holding the stream may refund them further.
    const recalled = await this.accounts.recallSpends(accountId, state, commandsOf(batch));
    let decided: DecidedBatch = { decisions: [], events: [] };
    try {
      const appended = await this.accounts.appendExclusive(accountId, state, (current, tail) => {
        for (const event of tail) foldIntoRecalled(recalled, event);
        decided = decideBatch(
          current,
          batch.map(({ request }) => request),
          this.clock.now(),
          recalled,
          heldElsewhere,
        );
        return decided.events;
      });
      await this.settle(accountId, batch, decided, appended);
      return true;
    } catch (error) {
      // Only when the stream did not exist yet and another process created it first.
      if (error instanceof WrongExpectedRevisionError) return false;
      if (!(error instanceof ClaimHeldElsewhereError)) throw error;
      noteHeldElsewhere(heldElsewhere, error);
      return this.tryExclusive(accountId, batch, heldElsewhere);
    }
  }

  private async hasNewerEvents(accountId: string, state: LedgerState): Promise<boolean> {
    const before = state.revision;
    const refreshed = await this.accounts.refresh(accountId);
    return refreshed.revision !== before;
  }

  /** Answers every command of a batch once its append (if any) is durable. */
  private async settle(
    accountId: string,
    batch: Pending[],
    decided: DecidedBatch,
    appended: AppendResult | null,
  ): Promise<void> {
    for (const [index, pending] of batch.entries()) {
      try {
        settleSuccess(
          pending,
          await this.outcome(
            accountId,
            pending.request,
            decided.decisions[index],
            decided.events.length,
            appended,
          ),
        );
      } catch (error) {
        settleFailure(pending, error);
      }
    }
  }

  private async outcome(
    accountId: string,
    request: ExecuteLedgerCommand,
    decided: BatchDecision,
    batchEvents: number,
    appended: AppendResult | null,
  ): Promise<CommandOutcome> {
    const { balance, available, reserved } = decided.view;
    if (decided.kind === 'written') {
      // Events of one append are consecutive in the stream; the position is the append's (at or
      // after this command's last event, which is what read-your-writes needs).
      return {
        accountId,
        events: decided.events,
        balance,
        available,
        reserved,
        revision: appended!.lastRevision - (batchEvents - 1 - decided.lastIndex),
        position: appended!.position,
        replayed: false,
      };
    }
    const { decision } = decided;
    switch (decision.kind) {
      case 'rejected':
        throw new LedgerRejectedError(decision.rejection);
      case 'replayed': {
        const { record } = decision;
        const recorded = await this.accounts.readRange(
          accountId,
          record.firstRevision,
          record.lastRevision,
        );
        return {
          accountId,
          events: recorded.map(toLedgerEvent),
          balance: record.balance,
          available: record.available,
          reserved: record.reserved,
          revision: record.lastRevision,
          position: recorded.at(-1)?.position ?? null,
          replayed: true,
        };
      }
      case 'noop': {
        // A repeated purchase answers with the first one: its event as recorded (where its
        // position comes from), its revision, and the account right after it.
        const [original] = await this.accounts.readRange(
          accountId,
          decision.revision,
          decision.revision,
        );
        if (original?.type !== 'CreditsPurchased')
          throw new Error(
            `${accountId}@${decision.revision} is not purchase ${decision.purchaseId}`,
          );
        // This very command, found written after a retry (an append that succeeded but was
        // reported lost, or one finished by another process): its own first answer, not a repeat.
        const own =
          request.command.kind === 'purchase' && request.command.purchaseId === decision.purchaseId;
        return {
          accountId,
          events: [toLedgerEvent(original)],
          balance: decision.balance,
          available: decision.available,
          reserved: decision.reserved,
          revision: decision.revision,
          position: original.position,
          replayed: !own,
          ...(!own && {
            duplicatePurchase: { purchaseId: decision.purchaseId, blockId: decision.blockId },
          }),
        };
      }
      case 'accepted':
        return {
          accountId,
          events: [],
          balance,
          available,
          reserved,
          revision: decided.revision,
          position: null,
          replayed: false,
        };
    }
  }
}

function commandsOf(batch: readonly Pending[]): Iterable<LedgerCommand> {
  return batch.map(({ request }) => request.command);
}

function settleSuccess(pending: Pending, outcome: CommandOutcome): void {
  pending.stopTimer('ok');
  pending.resolve(outcome);
}

/** Failures that are about the moment (store down, retries used up) fail every command alike. */
function mayBeOneCommandsFault(error: unknown): boolean {
  return (
    !(error instanceof EventStoreUnavailableError) &&
    !(error instanceof ConcurrencyConflictError) &&
    !(error instanceof QueueFullError)
  );
}

function settleFailure(pending: Pending, error: unknown): void {
  pending.stopTimer(error instanceof LedgerRejectedError ? 'rejected' : 'error');
  pending.reject(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
