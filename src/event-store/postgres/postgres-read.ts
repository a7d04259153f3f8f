import type { ClientBase } from 'pg';
import type {
  GlobalPosition,
  ReadAllResult,
  RecordedEvent,
  StreamQuery,
  StreamTailRequest,
} from '../event-store.port';
import { encodePosition, parsePosition, START_POSITION } from './postgres-position';

type Queryable = Pick<ClientBase, 'query'>;

interface EventRow {
  transaction_id: string;
  global_position: number | string;
  stream_id: string;
  revision: number | string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const COLUMNS = `e.transaction_id::text AS transaction_id, e.global_position, e.stream_id, e.revision,
  e.event_id::text AS event_id, e.type, e.data, e.metadata, e.recorded_at`;

/**
 * Only transactions below the snapshot's xmin are finished: any transaction that might still
 * commit has an xid >= xmin, so it sorts after every row returned here and a reader's checkpoint
 * can never jump over it. (Ordering by global_position alone would: a slow transaction holds a
 * small global_position but commits after faster ones with larger positions.) The price: one
 * long-running writing transaction anywhere in the cluster, even in another database, delays
 * (never loses) what readAll returns until it ends.
 */
const FINISHED_AND_AFTER = `e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  AND (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)`;

/**
 * With a stream prefix, a page scans at most this many rows of the global log (at least the page
 * size) so that a reader behind many non-matching events still advances in bounded steps.
 */
const PREFIX_SCAN_WINDOW = 1_000;

export async function readStreamRows(
  client: Queryable,
  streamId: string,
  fromRevision: number,
  maxCount: number | null,
): Promise<RecordedEvent[]> {
  const { rows } = await client.query<EventRow>(
    `SELECT ${COLUMNS} FROM events e WHERE e.stream_id = $1 AND e.revision >= $2 ORDER BY e.revision LIMIT $3`,
    [streamId, fromRevision, maxCount],
  );
  return rows.map(toRecordedEvent);
}

/**
 * One statement for many streams' tails: each request probes the (stream_id, revision) index from
 * its revision, so a stream with nothing new costs one index look-up and returns no row.
 */
export async function readStreamTailRows(
  client: Queryable,
  requests: readonly StreamTailRequest[],
  maxCountPerStream: number,
): Promise<RecordedEvent[][]> {
  const tails: RecordedEvent[][] = requests.map(() => []);
  if (requests.length === 0) return tails;
  const { rows } = await client.query<EventRow & { request_index: string }>(
    `SELECT t.request_index - 1 AS request_index, ${COLUMNS}
     FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS t(stream_id, from_revision, request_index)
     CROSS JOIN LATERAL (
       SELECT * FROM events WHERE stream_id = t.stream_id AND revision >= t.from_revision
       ORDER BY revision LIMIT $3
     ) e
     ORDER BY t.request_index, e.revision`,
    [
      requests.map((request) => request.streamId),
      requests.map((request) => request.fromRevision),
      maxCountPerStream,
    ],
  );
  for (const row of rows) tails[Number(row.request_index)].push(toRecordedEvent(row));
  return tails;
}

/**
 * No index on data fields (one would cost every append WAL and CPU for a rare look-up): the scan
 * walks the stream's (stream_id, revision) index and filters in PostgreSQL, so only matches cross
 * the wire.
 */
export async function findStreamRows(
  client: Queryable,
  streamId: string,
  query: StreamQuery,
): Promise<RecordedEvent[]> {
  const { rows } = await client.query<EventRow>(
    `SELECT ${COLUMNS} FROM events e
     WHERE e.stream_id = $1 AND e.revision <= $2 AND e.data -> $3::text = to_jsonb($4::text) ORDER BY e.revision`,
    [streamId, query.throughRevision, query.dataField, query.equals],
  );
  return rows.map(toRecordedEvent);
}

export async function readAllRows(
  client: Queryable,
  after: GlobalPosition | null,
  count: number,
  streamPrefix: string | undefined,
): Promise<ReadAllResult> {
  const from = parsePosition(after ?? START_POSITION);
  // Without leading zeros: xid8's input parser reads a leading 0 as an octal prefix.
  const params = [from.transactionId.toString(), from.globalPosition.toString(), count];
  if (!streamPrefix) {
    const { rows } = await client.query<EventRow>(
      `SELECT ${COLUMNS} FROM events e WHERE ${FINISHED_AND_AFTER}
       ORDER BY e.transaction_id, e.global_position LIMIT $3`,
      params,
    );
    const events = rows.map(toRecordedEvent);
    return { events, lastPosition: events.at(-1)?.position ?? null };
  }
  return readAllWithPrefix(client, params, streamPrefix, Math.max(count, PREFIX_SCAN_WINDOW));
}

/**
 * Scans a window of the global log, keeps the first `count` events of matching streams and
 * reports where it stopped: at the last kept event when the page filled up, else at the last
 * scanned row (possibly a skipped one), so a reader never rescans what it skipped.
 *
 * Each statement is one walk of the (transaction_id, global_position) index: rows of other
 * streams come back without their data (only their position is needed) and the cut is made here.
 * A statement asks for no more rows than matching events are still missing (at least
 * MIN_SCAN_STEP), so a page of a log of ledger events is one statement that carries no row it
 * drops; skipped rows cost a further statement, within the same window. (It was one CTE with two
 * window functions, a sort and a join back to the events: about twice PostgreSQL's CPU per event
 * of a rebuild, see docs/performance.md.)
 */
async function readAllWithPrefix(
  client: Queryable,
  params: unknown[],
  streamPrefix: string,
  scanWindow: number,
): Promise<ReadAllResult> {
  const count = params[2] as number;
  const events: RecordedEvent[] = [];
  let after: [unknown, unknown] = [params[0], params[1]];
  let last: EventRow | undefined;
  for (let budget = scanWindow; budget > 0 && events.length < count;) {
    const limit = Math.min(budget, Math.max(count - events.length, MIN_SCAN_STEP));
    const { rows } = await client.query<EventRow & { matches: boolean }>(
      `SELECT starts_with(e.stream_id, $3) AS matches, e.transaction_id::text AS transaction_id, e.global_position,
         e.stream_id, e.revision, e.event_id::text AS event_id, e.type,
         CASE WHEN starts_with(e.stream_id, $3) THEN e.data END AS data,
         CASE WHEN starts_with(e.stream_id, $3) THEN e.metadata END AS metadata, e.recorded_at
       FROM events e WHERE ${FINISHED_AND_AFTER}
       ORDER BY e.transaction_id, e.global_position LIMIT $4`,
      [...after, streamPrefix, limit],
    );
    for (const row of rows) {
      last = row;
      if (!row.matches) continue;
      events.push(toRecordedEvent(row));
      if (events.length === count) break;
    }
    if (rows.length < limit || !last) break; // the end of what the log hands out
    budget -= rows.length;
    after = [last.transaction_id, String(last.global_position)];
  }
  return {
    events,
    lastPosition: last ? encodePosition(last.transaction_id, last.global_position) : null,
  };
}

/** The fewest rows a prefix-filtered statement asks for (a reader asking for 1 event still scans ahead). */
const MIN_SCAN_STEP = 100;

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: encodePosition(row.transaction_id, row.global_position),
    recordedAt: row.recorded_at,
  };
}
