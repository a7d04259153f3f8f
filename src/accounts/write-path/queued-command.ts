import type { AppendResult } from '../../event-store/event-store.port';
import type { LedgerCommand } from '../../ledger/commands';
import type { CallerContext } from './caller-context';
import type { DecidedBatch } from './command-batch';
import type { WriteOutcome } from './write-outcome';

/**
 * A command waiting in its account's mailbox (account-mailbox.ts), until the batch it joins is
 * written and it is answered: exactly once, by `answer` or `fail`.
 */
export interface QueuedCommand {
  readonly command: LedgerCommand;
  readonly context: CallerContext;
  answer(outcome: WriteOutcome): void;
  fail(error: unknown): void;
  /** Its batch lost an optimistic-concurrency race and is decided again (a metric). */
  countConflict(): void;
}

/** What the mailbox hands a batch to (RetryPolicy). */
export interface BatchWriter {
  /** Decides and appends `batch`, commands of one account in order, and answers or fails each. */
  writeBatch(accountId: string, batch: readonly QueuedCommand[]): Promise<void>;
}

/** What the retry policy hands a decided batch to (AnswerBuilder). */
export interface BatchAnswers {
  /** Answers (or fails) every command of `batch` from its decision, once the append is durable. */
  answerAll(
    accountId: string,
    batch: readonly QueuedCommand[],
    decided: DecidedBatch,
    appended: AppendResult | null,
  ): Promise<void>;
}
