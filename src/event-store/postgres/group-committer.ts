import type { Pool, PoolClient } from 'pg';
import {
  DuplicateEventIdError,
  EventStoreSaturatedError,
  WrongExpectedRevisionError,
  type AppendResult,
  type NewEvent,
  type StreamRevision,
} from '../event-store.port';
import { appendBatch, type BatchItem, type BatchItemResult } from './postgres-batch-append';
import { isValueFault } from './postgres-errors';

export interface GroupCommitOptions {
  /** Batches written at once (each holds one pooled connection while it runs). */
  maxInFlight: number;
  /** Events in one batch statement. */
  maxEventsPerBatch: number;
  /** Appends waiting for a batch before new ones are refused. */
  maxQueued: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxInFlight: 4,
  maxEventsPerBatch: 2_000,
  maxQueued: 50_000,
};

// Concurrent batches of several processes can lock the same streams in different orders;
// PostgreSQL then aborts one of them whole, and it is simply run again.
const DEADLOCK_DETECTED = '40P01';
const MAX_DEADLOCK_RETRIES = 5;

interface PendingAppend extends BatchItem {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: appends that arrive while earlier batches are being written wait and go together
 * in the next batch, one statement and one commit for all of them. At low load a batch holds one
 * append and nothing waits; under load the cost of a durable commit is shared by many appends.
 * A stream appears at most once per batch (a second append to it waits for the next batch, since
 * it may depend on the first).
 */
export class GroupCommitter {
  private readonly queue: PendingAppend[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: StreamRevision,
  ): Promise<AppendResult> {
    if (this.queue.length >= this.options.maxQueued)
      // The queue is full: the database is not keeping up.
      return Promise.reject(new EventStoreSaturatedError(this.options.maxQueued));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      this.pump();
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Takes queued appends in order, up to the event limit, at most one per stream. */
  private takeBatch(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (let index = 0; index < this.queue.length;) {
      const pending = this.queue[index];
      const fits =
        batch.length === 0 || events + pending.events.length <= this.options.maxEventsPerBatch;
      if (!fits) break;
      if (streams.has(pending.streamId)) {
        index += 1;
        continue;
      }
      this.queue.splice(index, 1);
      batch.push(pending);
      streams.add(pending.streamId);
      events += pending.events.length;
    }
    return batch;
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    try {
      settle(batch, await this.withDeadlockRetry(() => appendBatch(this.pool, batch)));
    } catch (error) {
      if (batch.length > 1 && isValueFault(error)) await this.isolate(batch);
      else fail(batch, error);
    }
  }

  /**
   * The batch statement failed because of some append's own values (a NUL PostgreSQL refuses, a
   * reused event id, …) and wrote nothing. The batch is halved and each half written again, down to
   * the guilty appends, which end up alone and fail alone; the others are written as if they had
   * never shared a statement with them. For k guilty appends in a batch of n this takes at most
   * 2·k·log2(n) statements, and never more than 2n - 1: no more than writing each append alone,
   * twice. The failing ones are cheap (the values are refused before a row is written).
   *
   * All of it on one checked-out connection: pool.query destroys its connection on any error, and
   * a reconnect per failing half would cost far more than the statements.
   */
  private async isolate(batch: PendingAppend[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      fail(batch, error);
      return;
    }
    let broken: Error | undefined;
    // A checked-out client has no 'error' listener (pg-pool removes its own), so a connection
    // lost between two statements would crash the process; note it, and let the next query fail.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      broken = (await this.bisect(client, batch)) ?? broken;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** Writes both halves of the batch, each bisected again if it fails the same way. */
  private async bisect(client: PoolClient, batch: PendingAppend[]): Promise<Error | undefined> {
    const middle = Math.ceil(batch.length / 2);
    let broken: Error | undefined;
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      try {
        settle(half, await this.withDeadlockRetry(() => appendBatch(client, half)));
      } catch (error) {
        if (half.length > 1 && isValueFault(error)) {
          broken = (await this.bisect(client, half)) ?? broken;
          continue;
        }
        fail(half, error);
        // Anything but a value fault may have left the connection unusable: do not pool it again.
        if (!isValueFault(error))
          broken = error instanceof Error ? error : new Error(String(error));
      }
    }
    return broken;
  }

  private async withDeadlockRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (
          (error as { code?: string }).code !== DEADLOCK_DETECTED ||
          attempt >= MAX_DEADLOCK_RETRIES
        )
          throw error;
      }
    }
  }
}

function settle(batch: readonly PendingAppend[], results: readonly BatchItemResult[]): void {
  results.forEach((outcome, index) => {
    const pending = batch[index];
    if (outcome.status === 'appended') pending.resolve(outcome.result);
    else
      pending.reject(
        new WrongExpectedRevisionError(pending.streamId, pending.expected, outcome.actual),
      );
  });
}

function fail(batch: readonly PendingAppend[], error: unknown): void {
  const failure =
    batch.length === 1 && isDuplicateEventId(error)
      ? duplicateEventIdError(batch[0], error)
      : error;
  for (const pending of batch) pending.reject(failure);
}

/** Names the id PostgreSQL reports as already recorded, like the single-stream append does. */
function duplicateEventIdError(pending: PendingAppend, error: unknown): DuplicateEventIdError {
  const recorded = /\(event_id\)=\(([^)]+)\)/.exec(
    (error as { detail?: string }).detail ?? '',
  )?.[1];
  return new DuplicateEventIdError(
    pending.streamId,
    recorded ? [recorded] : pending.events.map((event) => event.eventId),
  );
}

function isDuplicateEventId(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'events_event_id_key';
}
