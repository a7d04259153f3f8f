import type { Pool } from 'pg';
import type { EventStore, GlobalPosition } from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { parsePosition, START_POSITION } from '../../src/event-store/postgres/postgres-position';
import { STREAM_PREFIX } from '../../src/ledger/limits';

export interface LagSample {
  /** Ledger events stored after the position (at most the limit). */
  events: number;
  /** recordedAt of the oldest of them; null when there are none. */
  oldestRecordedAt: Date | null;
}

/**
 * How far a checkpoint is behind the log. With the PostgreSQL event store this counts every
 * committed event after the position, including those readAll still holds back because an older
 * transaction is open somewhere (they are behind too); elsewhere it reads the log after it.
 */
export async function measureLag(
  eventStore: EventStore,
  pool: Pool,
  after: GlobalPosition | null,
  limit: number,
): Promise<LagSample> {
  if (eventStore instanceof PostgresEventStore) {
    const from = parsePosition(after ?? START_POSITION);
    const { rows } = await pool.query<{ events: number; oldest: Date | null }>(
      `SELECT count(*)::int AS events, min(recorded_at) AS oldest FROM (
         SELECT e.recorded_at FROM events e
         WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint) AND starts_with(e.stream_id, $3)
         ORDER BY e.transaction_id, e.global_position LIMIT $4) behind`,
      // Without leading zeros: xid8's input parser reads a leading 0 as an octal prefix.
      [from.transactionId.toString(), from.globalPosition.toString(), STREAM_PREFIX, limit],
    );
    return { events: rows[0]?.events ?? 0, oldestRecordedAt: rows[0]?.oldest ?? null };
  }
  const { events } = await eventStore.readAll({
    after,
    maxCount: limit,
    streamPrefix: STREAM_PREFIX,
  });
  return { events: events.length, oldestRecordedAt: events[0]?.recordedAt ?? null };
}
