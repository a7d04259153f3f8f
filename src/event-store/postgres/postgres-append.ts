import type { ClientBase } from 'pg';
import {
  DuplicateEventIdError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
  type StreamRevision,
} from '../event-store.port';
import { encodePosition, START_POSITION } from './postgres-position';

type Queryable = Pick<ClientBase, 'query'>;

/**
 * Appends inside the caller's open transaction (BEGIN ISOLATION LEVEL READ COMMITTED already
 * sent), e.g. to write events and something else atomically. It must be the transaction's first
 * write, so it refuses a transaction that already holds an xid (see `writeAppend`). On
 * WrongExpectedRevisionError or DuplicateEventIdError the caller must roll back; 'any' is not
 * retried here (the store's appendToStream does that, with fresh transactions).
 */
export async function appendInTransaction(
  client: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const { rows } = await client.query<{ xid: string | null }>(
    `SELECT pg_current_xact_id_if_assigned()::text AS xid`,
  );
  if (rows[0].xid !== null) {
    throw new Error(
      `appendInTransaction must be the transaction's first write; it already holds xid ${rows[0].xid}`,
    );
  }
  return writeAppend(client, streamId, events, expected);
}

/**
 * The append itself, for a non-empty batch in a transaction that has not written yet.
 *
 * The global log is ordered by (transaction_id, global_position), and the xid is assigned at a
 * transaction's first write. So the expected revision must be decided BEFORE the xid exists, and
 * the conditional stream-row write must be that first write: then whoever writes revision r+1
 * saw revision r committed before taking its xid, hence holds a larger xid than r's writer, and
 * the global order agrees with every stream's order. (A conditional write that takes its xid and
 * then waits for a concurrent appender fails its recheck once that one commits.) Were the xid
 * taken before the decision (a prior write in the transaction, or an upsert / unconditional
 * `revision = revision + n`, which takes it, waits for a concurrent appender of the same stream and
 * then builds on its revision), a transaction could hold a smaller xid than the one that committed
 * the revision before its own, and readers of the global log would see revision r+1 before r.
 * That is why 'any' is not an upsert: it reads the current revision (reads take no xid), then
 * writes conditionally like a number, and appendToStream retries it in a fresh transaction.
 */
export async function writeAppend(
  client: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const decided = expected === 'any' ? await currentRevision(client, streamId) : expected;
  const claimed =
    decided === NO_STREAM_REVISION
      ? await client.query(
          `INSERT INTO streams (stream_id, revision) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING`,
          [streamId, events.length - 1],
        )
      : await client.query(
          `UPDATE streams SET revision = $3, updated_at = now() WHERE stream_id = $1 AND revision = $2`,
          [streamId, decided, decided + events.length],
        );
  if (claimed.rowCount !== 1) {
    throw new WrongExpectedRevisionError(
      streamId,
      expected,
      await currentRevision(client, streamId),
    );
  }
  return insertEvents(client, streamId, decided + 1, events);
}

/** One multi-row INSERT; revisions first..first+n-1 and global positions follow the batch order. */
async function insertEvents(
  client: Queryable,
  streamId: string,
  first: StreamRevision,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  try {
    const { rows } = await client.query<{
      transaction_id: string;
      global_position: number | string;
      revision: number | string;
    }>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       SELECT $1, $2::bigint + batch.ordinality - 1, batch.event_id, batch.type, batch.data, batch.metadata
       FROM ROWS FROM (
              unnest($3::uuid[]), unnest($4::text[]),
              jsonb_array_elements($5::jsonb), jsonb_array_elements($6::jsonb)
            ) WITH ORDINALITY AS batch (event_id, type, data, metadata, ordinality)
       ORDER BY batch.ordinality
       RETURNING transaction_id::text AS transaction_id, global_position, revision`,
      [
        streamId,
        first,
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        // One JSON array each, as the batch append sends them (postgres-batch-append.ts says why).
        JSON.stringify(events.map((event) => event.data)),
        JSON.stringify(events.map((event) => event.metadata)),
      ],
    );
    const last = rows.reduce((a, b) => (Number(b.revision) > Number(a.revision) ? b : a));
    return {
      lastRevision: Number(last.revision),
      position: encodePosition(last.transaction_id, last.global_position),
    };
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string; detail?: string };
    if (pgError.code === '23505' && pgError.constraint === 'events_event_id_key') {
      const recorded = /\(event_id\)=\(([^)]+)\)/.exec(pgError.detail ?? '')?.[1];
      throw new DuplicateEventIdError(
        streamId,
        recorded ? [recorded] : events.map((event) => event.eventId),
      );
    }
    throw error;
  }
}

/**
 * An empty append: checks the expectation and returns the stream's current revision
 * (NO_STREAM_REVISION when it does not exist) and its last event's position (START_POSITION when
 * none). Reads only.
 */
export async function checkExpectation(
  client: Queryable,
  streamId: string,
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const { rows } = await client.query<{
    revision: number | string;
    transaction_id: string | null;
    global_position: number | string | null;
  }>(
    `SELECT s.revision, e.transaction_id::text AS transaction_id, e.global_position
     FROM streams s LEFT JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.revision
     WHERE s.stream_id = $1`,
    [streamId],
  );
  const actual: StreamRevision = rows.length === 0 ? NO_STREAM_REVISION : Number(rows[0].revision);
  if (expected !== 'any' && expected !== actual)
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  const last = rows[0];
  return {
    lastRevision: actual,
    position: last?.transaction_id
      ? encodePosition(last.transaction_id, last.global_position!)
      : START_POSITION,
  };
}

export async function currentRevision(
  client: Queryable,
  streamId: string,
): Promise<StreamRevision> {
  const { rows } = await client.query<{ revision: number | string }>(
    `SELECT revision FROM streams WHERE stream_id = $1`,
    [streamId],
  );
  return rows.length === 0 ? NO_STREAM_REVISION : Number(rows[0].revision);
}
