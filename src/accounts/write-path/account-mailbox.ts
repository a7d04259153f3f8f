import { Inject, Injectable } from '@nestjs/common';
import type { LedgerCommand } from '../../ledger/commands';
import { CommandMetrics } from './command-metrics';
import { QueueFullError } from './errors';
import {
  ExclusiveTurn,
  nextBatchLength,
  PendingCommand,
  type MailboxEntry,
} from './mailbox-entries';
import type { CallerContext } from './caller-context';
import type { BatchWriter } from './queued-command';
import { RetryPolicy } from './retry-policy';
import type { WriteOutcome } from './write-outcome';

/** Commands and exclusive turns waiting for one account in this process before more are refused. */
export const MAX_WAITING_PER_ACCOUNT = 1_000;

/**
 * The one way into an account's stream: every write (HTTP, Stripe, the expiry worker) is submitted
 * here. Per account, one bounded queue in arrival order: commands that queued up behind a batch
 * are the next batch (nextBatchLength), decided in order and written in ONE append (RetryPolicy);
 * an exclusive turn (a strongly consistent read) runs alone between batches. One batch or turn at
 * a time per account, so this process never races itself on a stream (conflicts only come from
 * other processes) and the cached state is never folded by two tasks at once; accounts run
 * concurrently. An idle account has no queue: nothing is kept per account between bursts.
 */
@Injectable()
export class AccountMailbox {
  private readonly queues = new Map<string, MailboxEntry[]>();

  constructor(
    @Inject(RetryPolicy) private readonly writer: BatchWriter,
    private readonly metrics: CommandMetrics,
  ) {}

  /** The command's answer once its batch is written; QueueFullError when its queue is full. */
  submit(accountId: string, command: LedgerCommand, context: CallerContext): Promise<WriteOutcome> {
    const queue = this.queueWithRoom(accountId);
    if (queue === null)
      return Promise.reject(new QueueFullError(accountId, MAX_WAITING_PER_ACCOUNT));
    return new Promise<WriteOutcome>((resolve, reject) => {
      queue.push(new PendingCommand(command, context, resolve, reject, this.metrics));
    });
  }

  /** Runs `task` while no batch of the account runs, in turn with its commands; same bound. */
  runExclusive<T>(accountId: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queueWithRoom(accountId);
    if (queue === null)
      return Promise.reject(new QueueFullError(accountId, MAX_WAITING_PER_ACCOUNT));
    return new Promise<T>((resolve, reject) => {
      queue.push(new ExclusiveTurn(task, resolve as (value: unknown) => void, reject));
    });
  }

  /** Accounts with work queued or running (for tests and metrics). */
  get activeAccounts(): number {
    return this.queues.size;
  }

  /** The account's queue, started if it was idle; null when it is full. */
  private queueWithRoom(accountId: string): MailboxEntry[] | null {
    const queue = this.queues.get(accountId);
    if (queue !== undefined) return queue.length >= MAX_WAITING_PER_ACCOUNT ? null : queue;
    const started: MailboxEntry[] = [];
    this.queues.set(accountId, started);
    // From the next microtask on, so that commands submitted in the same tick make one batch.
    queueMicrotask(() => void this.drain(accountId, started));
    return started;
  }

  /** Runs the account's queue until it is empty, then forgets it. */
  private async drain(accountId: string, queue: MailboxEntry[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const head = queue[0];
        if (head instanceof ExclusiveTurn) {
          queue.shift();
          await head.run();
        } else {
          const batch = queue.splice(0, nextBatchLength(queue)) as PendingCommand[];
          await this.write(accountId, batch);
        }
      }
    } catch (error) {
      // A bug in this loop, not a command's fault: fail what waits rather than leave it hanging.
      for (const entry of queue.splice(0)) entry.fail(error);
    } finally {
      this.queues.delete(accountId);
    }
  }

  private async write(accountId: string, batch: PendingCommand[]): Promise<void> {
    try {
      await this.writer.writeBatch(accountId, batch);
    } catch (error) {
      // The writer answers every command; should it throw anyway, none is left unanswered.
      for (const pending of batch) pending.fail(error);
    }
  }
}
