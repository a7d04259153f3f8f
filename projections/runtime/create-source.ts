import type { Pool } from 'pg';
import type { EventStore } from '../../src/event-store/event-store.port';
import { isEventStoreDb } from '../../src/event-store/eventstoredb/is-eventstoredb';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import { EventStoreDbProjectorSource } from './eventstoredb-source';
import { LiveLogTail } from './live-tail';
import { PollingProjectorSource } from './polling-source';
import type { ProjectorSource } from './projector-source';

export interface SourceContext {
  eventStore: EventStore;
  /** The read-model database; with the PostgreSQL event store, also where the events are. */
  pool: Pool;
  log?: (message: string) => void;
}

/**
 * A new source for one projector: EventStoreDB's filtered catch-up subscription when the streams
 * live there, else polling readAll (the PostgreSQL global log).
 */
export function createProjectorSource({ eventStore, pool, log }: SourceContext): ProjectorSource {
  if (isEventStoreDb(eventStore)) {
    return new EventStoreDbProjectorSource((options) => eventStore.subscribe(options), {
      streamPrefix: STREAM_PREFIX,
      onDrop: (drop) =>
        log?.(
          `EventStoreDB subscription dropped (attempt ${drop.attempt}, retrying in ${drop.delayMs} ms): ${String(drop.error)}`,
        ),
    });
  }
  const estimateTotal =
    eventStore instanceof PostgresEventStore ? () => countPostgresLedgerEvents(pool) : undefined;
  return new PollingProjectorSource(eventStore, { streamPrefix: STREAM_PREFIX, estimateTotal });
}

/**
 * One read of the log for the live projectors of a process (LiveLogTail), each falling back to a
 * source of its own; null with EventStoreDB, whose subscriptions push each projector its events
 * (one subscription per projector stays: the server does the filtering there).
 */
export function createLiveLogTail(context: SourceContext, onDrop?: () => void): LiveLogTail | null {
  const { eventStore } = context;
  if (isEventStoreDb(eventStore)) return null;
  return new LiveLogTail(createProjectorSource(context), () => createProjectorSource(context), {
    compare: (a, b) => eventStore.comparePositions(a, b),
    onDrop,
  });
}

/** The PostgreSQL event store keeps its events beside the read models: count them for progress. */
async function countPostgresLedgerEvents(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ total: number }>(
    `SELECT count(*)::bigint AS total FROM events WHERE starts_with(stream_id, $1)`,
    [STREAM_PREFIX],
  );
  return rows[0]?.total ?? null;
}
