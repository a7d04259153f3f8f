import type { AppConfig } from '../config/app-config';
import type { Database } from '../database/database';
import type { EventStore } from './event-store.port';
import { createEventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** The configured event store. The in-memory adapter is for tests and never chosen here. */
export function createEventStore(config: AppConfig, database: Database): EventStore {
  switch (config.eventStore) {
    case 'postgres':
      return new PostgresEventStore(database.pool);
    case 'eventstoredb':
      // loadConfig guarantees the connection string when EVENT_STORE=eventstoredb.
      return createEventStoreDbEventStore(config.eventStoreConnectionString!);
  }
}
