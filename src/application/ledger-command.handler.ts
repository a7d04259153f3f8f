import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config';
import { WrongExpectedRevisionError, type AppendResult } from '../event-store/event-store.port';
import type { LedgerCommand } from '../ledger/commands';
import { foldIntoRecalled } from '../ledger/spend-memory';
import type { LedgerState } from '../ledger/state';
import { toLedgerEvent } from '../ledger/upcast';
import { Clock } from '../shared/clock';
import { AccountRepository } from './account-repository';
import { decideBatch, type BatchDecision, type DecidedBatch } from './command-batch';
import { CommandMetrics, type CommandResultLabel } from './command-metrics';
import { ConcurrencyConflictError, LedgerRejectedError } from './errors';
import { KeyedSerializer, QueueFullError } from './keyed-serializer';
import { ExecuteLedgerCommand, type CommandOutcome } from './ledger-command';

/** Commands waiting for one account in this process before new ones are refused. */
export const MAX_QUEUED_COMMANDS_PER_ACCOUNT = 1_000;
/** Queued commands of one account decided together and written in one append. */
export const MAX_COMMANDS_PER_APPEND = 100;

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
        this.serializer.run(accountId, () => this.drain(accountId)).catch((error: unknown) => this.failAll(accountId, error));
      }
      mailbox.push({ request, resolve, reject, stopTimer });
    });
    return answer;
  }

  /** Runs under the account's serializer slot until its mailbox is empty. */
  private async drain(accountId: string): Promise<void> {
    const mailbox = this.mailboxes.get(accountId)!;
    while (mailbox.length > 0) {
      await this.executeBatch(accountId, mailbox.splice(0, MAX_COMMANDS_PER_APPEND));
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
      for (let attempt = 1; attempt <= this.config.commandMaxAttempts; attempt++) {
        if (attempt > 1 && !this.accounts.supportsExclusiveAppend) await sleep(retryDelayMs(attempt));
        const exclusive = attempt > 1 && this.accounts.supportsExclusiveAppend;
        const settled = exclusive ? await this.tryExclusive(accountId, batch) : await this.tryOptimistic(accountId, batch, freshness);
        if (settled) return;
        for (const pending of batch) this.metrics.conflict(pending.request.command.kind);
        freshness = 'reload';
      }
      this.logger.warn({ accountId, commands: batch.length, attempts: this.config.commandMaxAttempts }, 'concurrency conflict: retries exhausted');
      for (const pending of batch) settleFailure(pending, new ConcurrencyConflictError(accountId, this.config.commandMaxAttempts));
    } catch (error) {
      for (const pending of batch) settleFailure(pending, error);
    }
  }

  /** True when the batch was answered; false after a lost race. */
  private async tryOptimistic(accountId: string, batch: Pending[], freshness: Freshness): Promise<boolean> {
    const state = freshness === 'reload' ? await this.accounts.refresh(accountId) : await this.accounts.load(accountId);
    const recalled = await this.accounts.recallSpends(accountId, state, commandsOf(batch));
    const baseRevision = state.revision;
    const now = this.clock.now();
    let decided: DecidedBatch;
    try {
      decided = decideBatch(state, batch.map(({ request }) => request), now, recalled);
    } catch (error) {
      // decideBatch folds as it goes: a throw half-way leaves unwritten events in the cached state.
      this.accounts.forget(accountId);
      throw error;
    }
    if (decided.events.length === 0) {
      // Refusals and no-ops must not rest on a stale cache: make sure the store has nothing newer.
      // hasNewerEvents folds the tail into the cached state, so deciding again needs no second read.
      if (freshness === 'cached' && (await this.hasNewerEvents(accountId, state))) return this.tryOptimistic(accountId, batch, 'current');
      await this.settle(accountId, batch, decided, null);
      return true;
    }
    try {
      const appended = await this.accounts.appendFolded(accountId, state, baseRevision, decided.events);
      await this.settle(accountId, batch, decided, appended);
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  private async tryExclusive(accountId: string, batch: Pending[]): Promise<boolean> {
    const state = await this.accounts.load(accountId);
    // Recalled as of state.revision: the tail read while holding the stream may refund them further.
    const recalled = await this.accounts.recallSpends(accountId, state, commandsOf(batch));
    let decided: DecidedBatch = { decisions: [], events: [] };
    try {
      const appended = await this.accounts.appendExclusive(accountId, state, (current, tail) => {
        for (const event of tail) foldIntoRecalled(recalled, event);
        decided = decideBatch(current, batch.map(({ request }) => request), this.clock.now(), recalled);
        return decided.events;
      });
      await this.settle(accountId, batch, decided, appended);
      return true;
    } catch (error) {
      // Only when the stream did not exist yet and another process created it first.
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  private async hasNewerEvents(accountId: string, state: LedgerState): Promise<boolean> {
    const before = state.revision;
    const refreshed = await this.accounts.refresh(accountId);
    return refreshed.revision !== before;
  }

  /** Answers every command of a batch once its append (if any) is durable. */
  private async settle(accountId: string, batch: Pending[], decided: DecidedBatch, appended: AppendResult | null): Promise<void> {
    for (const [index, pending] of batch.entries()) {
      try {
        settleSuccess(pending, await this.outcome(accountId, decided.decisions[index], decided.events.length, appended));
      } catch (error) {
        settleFailure(pending, error);
      }
    }
  }

  private async outcome(accountId: string, decided: BatchDecision, batchEvents: number, appended: AppendResult | null): Promise<CommandOutcome> {
    const { balance, available, reserved } = decided.view;
    if (decided.kind === 'written') {
      // Events of one append are consecutive in the stream; the position is the append's (at or
      // after this command's last event, which is what read-your-writes needs).
      return {
        accountId, events: decided.events, balance, available, reserved,
        revision: appended!.nextRevision - (batchEvents - 1 - decided.lastIndex), position: appended!.position, replayed: false,
      };
    }
    const { decision } = decided;
    switch (decision.kind) {
      case 'rejected':
        throw new LedgerRejectedError(decision.rejection);
      case 'replayed': {
        const { record } = decision;
        const recorded = await this.accounts.readRange(accountId, record.firstRevision, record.lastRevision);
        return {
          accountId, events: recorded.map(toLedgerEvent), balance: record.balance, available: record.available,
          reserved: record.reserved, revision: record.lastRevision, position: recorded.at(-1)?.position ?? null, replayed: true,
        };
      }
      case 'noop':
      case 'accepted':
        return {
          accountId, events: [], balance, available, reserved, revision: decided.revision, position: null, replayed: decision.kind === 'noop',
          ...(decision.kind === 'noop' ? { duplicatePurchase: { purchaseId: decision.purchaseId, blockId: decision.blockId } } : {}),
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

function settleFailure(pending: Pending, error: unknown): void {
  pending.stopTimer(error instanceof LedgerRejectedError ? 'rejected' : 'error');
  pending.reject(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
