import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { EventStoreUnavailableError, type AppendResult } from '../../event-store/event-store.port';
import { AnswerBuilder } from './answer-builder';
import type { DecidedBatch } from './command-batch';
import { ConcurrencyConflictError, QueueFullError } from './errors';
import { noteHeldElsewhere } from './purchase-claims';
import type { BatchAnswers, BatchWriter, QueuedCommand } from './queued-command';
import { WriteAttempts, type BatchAttempts, type Freshness } from './write-attempts';

/**
 * Pacing of optimistic retries, for event stores that cannot hold a stream: full jitter, so a
 * loser lets another process's burst pass instead of racing it head-on.
 */
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failedAttempts);
}

/** A batch decided for good, with its append; `appended` is null when it wrote nothing. */
interface SettledBatch {
  decided: DecidedBatch;
  appended: AppendResult | null;
}

/**
 * How a batch gets written (docs/write-path.md "Retry policy"). The first attempt decides on the
 * cached state: one append, no read. After a lost race (another process wrote first) the retry
 * decides while holding the stream where the store can (appendExclusive), so it cannot lose
 * again to a process appending from a hot cache; otherwise it catches up with the stream and
 * retries optimistically after a jittered pause. `concurrency_conflict` only when
 * COMMAND_MAX_ATTEMPTS are used up. Two outcomes are decided again without using an attempt:
 * - nothing to write on the cached state: refusals and no-ops must not rest on a stale cache, so
 *   the store is checked for newer events first (once);
 * - a purchase whose reference another account holds (ClaimHeldElsewhereError): the batch is
 *   decided again knowing that, so only the purchase is refused (purchase_conflict). Not a lost
 *   race.
 * When a batch of several commands fails otherwise, for a reason that may lie in one command's
 * events, each command is run alone so that only the guilty one fails.
 */
@Injectable()
export class RetryPolicy implements BatchWriter {
  private readonly logger = new Logger(RetryPolicy.name);

  constructor(
    @Inject(WriteAttempts) private readonly attempts: BatchAttempts,
    @Inject(AnswerBuilder) private readonly answers: BatchAnswers,
    private readonly config: AppConfig,
  ) {}

  /** Writes `batch` (commands of one account, in order) and answers or fails every command. */
  async writeBatch(accountId: string, batch: readonly QueuedCommand[]): Promise<void> {
    let settled: SettledBatch | null;
    try {
      settled = await this.decideAndAppend(accountId, batch);
    } catch (error) {
      if (batch.length > 1 && mayBeOneCommandsFault(error)) {
        // Nothing was written and the cached state was dropped. At most batch.length more appends,
        // and only on this rare path.
        for (const queued of batch) await this.writeBatch(accountId, [queued]);
      } else {
        for (const queued of batch) queued.fail(error);
      }
      return;
    }
    if (settled === null) {
      const attempts = this.config.commandMaxAttempts;
      this.logger.warn(
        { accountId, commands: batch.length, attempts },
        'concurrency conflict: retries exhausted',
      );
      for (const queued of batch) queued.fail(new ConcurrencyConflictError(accountId, attempts));
      return;
    }
    await this.answers.answerAll(accountId, batch, settled.decided, settled.appended);
  }

  /** The batch settled, or null when every attempt lost a race. */
  private async decideAndAppend(
    accountId: string,
    batch: readonly QueuedCommand[],
  ): Promise<SettledBatch | null> {
    const purchaseRefsHeldElsewhere = new Map<string, string>();
    let freshness: Freshness = 'cached';
    for (let attempt = 1; attempt <= this.config.commandMaxAttempts; attempt++) {
      const exclusive = attempt > 1 && this.attempts.canHoldStream;
      if (attempt > 1 && !exclusive) await sleep(retryDelayMs(attempt));
      // Decisions taken again within this attempt (see the class comment) end with `continue`.
      for (;;) {
        const result = exclusive
          ? await this.attempts.exclusive(accountId, batch, purchaseRefsHeldElsewhere)
          : await this.attempts.optimistic(accountId, batch, freshness, purchaseRefsHeldElsewhere);
        if (result.kind === 'written') return result;
        if (result.kind === 'nothing-to-write') {
          if (
            freshness === 'cached' &&
            !exclusive &&
            (await this.attempts.caughtUpFrom(accountId, result.decidedOnRevision))
          ) {
            freshness = 'current';
            continue;
          }
          return { decided: result.decided, appended: null };
        }
        if (result.kind === 'claim-held-elsewhere') {
          noteHeldElsewhere(purchaseRefsHeldElsewhere, result.refused);
          freshness = 'reload';
          continue;
        }
        break; // lost-race
      }
      for (const queued of batch) queued.countConflict();
      freshness = 'reload';
    }
    return null;
  }
}

/** Failures that are about the moment (store down, retries used up) fail every command alike. */
export function mayBeOneCommandsFault(error: unknown): boolean {
  return (
    !(error instanceof EventStoreUnavailableError) &&
    !(error instanceof ConcurrencyConflictError) &&
    !(error instanceof QueueFullError)
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
