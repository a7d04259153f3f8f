import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import {
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExclusiveAppendRequest,
  type ExclusiveAppendResult,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamQuery,
  type StreamTailRequest,
  type StreamRevision,
} from '../event-store.port';
import { checkExpectation, currentRevision, writeAppend } from './postgres-append';
import { writeClaim } from './postgres-claims';
import { DEFAULT_GROUP_COMMIT, GroupCommitter, type GroupCommitOptions } from './group-committer';
import { mapPostgresError } from './postgres-errors';
import { comparePostgresPositions } from './postgres-position';
import { findStreamRows, readAllRows, readStreamRows, readStreamTailRows } from './postgres-read';
import {
  validateAppend,
  validateClaim,
  validateReadAll,
  validateReadStream,
  validateStreamQuery,
  validateStreamTails,
} from '../validate-input';

/** readAll never returns more than this many events per call. */
export const READ_ALL_MAX_COUNT = 10_000;

/**
 * 'any' appends retry on a lost race (each loss means another append succeeded); past this many
 * attempts the WrongExpectedRevisionError (expected 'any') reaches the caller.
 */
export const ANY_MAX_ATTEMPTS = 30;

/**
 * The PostgreSQL adapter (ARCHITECTURE.md "Event store port"; schema in
 * migrations/1732240000000_event-store.sql). The pool belongs to the caller (Database), which
 * also ends it: `close()` leaves it open.
 *
 * Appending an event id that is already recorded, in any stream, throws DuplicateEventIdError and
 * writes nothing. A retried append with a known expectation (a revision or NO_STREAM_REVISION)
 * usually meets WrongExpectedRevisionError first, since the first attempt moved the stream;
 * callers recognise their own events by id when they reload.
 *
 * A claim (AppendOptions.claim) is a row of `stream_claims` (migrations/1732240500000_stream-claims.sql)
 * written in the append's own transaction, after it (postgres-claims.ts): it commits or rolls back
 * with the events, so no crash can leave one without the other.
 */
export class PostgresEventStore implements EventStore {
  private readonly groupCommitter: GroupCommitter;

  constructor(
    private readonly pool: Pool,
    groupCommit: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {
    this.groupCommitter = new GroupCommitter(pool, groupCommit);
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = options.expectedRevision;
    validateAppend(streamId, events, expected);
    validateClaim(options.claim, events, expected);
    try {
      if (events.length === 0) return await checkExpectation(this.pool, streamId, expected);
      if (options.claim !== undefined) {
        // Not group-committed: the claim must commit or roll back with exactly this append.
        // Purchases are the only claimers, and rare next to spends.
        const claim = options.claim;
        return await this.inTransaction(async (client) => {
          const appended = await writeAppend(client, streamId, events, expected);
          await writeClaim(client, streamId, claim);
          return appended;
        });
      }
      // Known expectations go through group commit (postgres-batch-append.ts); 'any' must read first.
      if (expected !== 'any') return await this.groupCommitter.append(streamId, events, expected);
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.inTransaction((client) =>
            writeAppend(client, streamId, events, expected),
          );
        } catch (error) {
          const lostRace = expected === 'any' && error instanceof WrongExpectedRevisionError;
          if (!lostRace || attempt >= ANY_MAX_ATTEMPTS) throw error;
          await sleep(Math.random() * Math.min(50, 2 ** attempt)); // jitter: do not collide again at once
        }
      }
    } catch (error) {
      throw mapPostgresError(error, 'appendToStream');
    }
  }

  /**
   * Locks the stream row first (SELECT … FOR UPDATE), then reads the tail, decides and appends in
   * the same transaction. The lock is the transaction's first write, so the xid rule of
   * writeAppend still holds: every earlier writer of this stream held the row before us and has a
   * smaller xid, and no one can commit a newer revision while we hold it.
   */
  async appendExclusive(
    streamId: string,
    request: ExclusiveAppendRequest,
  ): Promise<ExclusiveAppendResult> {
    validateAppend(streamId, [], 'any');
    try {
      return await this.inTransaction(async (client) => {
        const locked = await client.query<{ revision: number }>(
          `SELECT revision FROM streams WHERE stream_id = $1 FOR UPDATE`,
          [streamId],
        );
        const held: StreamRevision =
          locked.rows.length === 0 ? NO_STREAM_REVISION : Number(locked.rows[0].revision);
        const tail =
          held <= request.knownRevision
            ? []
            : await readStreamRows(
                client,
                streamId,
                request.knownRevision + 1,
                held - request.knownRevision,
              );
        const events = request.decide(tail);
        if (events.length === 0) return { tail, appended: null };
        validateAppend(streamId, events, held);
        const claim = request.claimFor?.(events);
        validateClaim(claim, events, held);
        const appended = await writeAppend(client, streamId, events, held);
        if (claim !== undefined) await writeClaim(client, streamId, claim);
        return { tail, appended };
      });
    } catch (error) {
      throw mapPostgresError(error, 'appendExclusive');
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { fromRevision, maxCount } = validateReadStream(options);
    if (maxCount === 0) return [];
    return this.run('readStream', () =>
      readStreamRows(this.pool, streamId, fromRevision, maxCount),
    );
  }

  async readStreamTails(
    requests: readonly StreamTailRequest[],
    maxCountPerStream: number,
  ): Promise<RecordedEvent[][]> {
    validateStreamTails(requests, maxCountPerStream);
    return this.run('readStreamTails', () =>
      readStreamTailRows(this.pool, requests, maxCountPerStream),
    );
  }

  async findInStream(streamId: string, query: StreamQuery): Promise<RecordedEvent[]> {
    validateStreamQuery(query);
    return this.run('findInStream', () => findStreamRows(this.pool, streamId, query));
  }

  streamRevision(streamId: string): Promise<StreamRevision> {
    return this.run('streamRevision', () => currentRevision(this.pool, streamId));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const count = validateReadAll(options, READ_ALL_MAX_COUNT);
    return this.run('readAll', () =>
      readAllRows(this.pool, options.after, count, options.streamPrefix),
    );
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return comparePostgresPositions(a, b);
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.pool.query('SELECT 1'));
  }

  /** The pool is the caller's (Database.close ends it); nothing else to release. */
  async close(): Promise<void> {}

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapPostgresError(error, operation);
    }
  }

  /**
   * READ COMMITTED explicitly (whatever the server default): every statement sees the latest
   * commits, so a conditional stream update that lost a race re-reads the actual revision instead
   * of failing with a serialization error.
   */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no 'error' listener (pg-pool removes its own), so a connection
    // lost between two statements would crash the process; note it and let the next query fail.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await work(client);
      try {
        await client.query('COMMIT');
      } catch (error) {
        throw mapPostgresError(
          error,
          'commit (outcome unknown: the append may have been recorded)',
        );
      }
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection is gone: destroy the client instead of pooling it.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}
