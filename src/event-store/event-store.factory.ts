import type { AppConfig } from '../config/app-config';
import type { Database } from '../database/database';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

type EventStoreDbAdapter = typeof import('./eventstoredb/eventstoredb-event-store');

/** The configured event store. The in-memory adapter is for tests and never chosen here. */
export function createEventStore(config: AppConfig, database: Database): EventStore {
  switch (config.eventStore) {
    case 'postgres':
      return new PostgresEventStore(database.pool);
    case 'eventstoredb': {
      // loadConfig guarantees the connection string when EVENT_STORE=eventstoredb. Loaded here, not
      // at the top: its gRPC client is ≈ 6 MB of heap in every process that never uses it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const adapter = require('./eventstoredb/eventstoredb-event-store') as EventStoreDbAdapter;
      return adapter.createEventStoreDbEventStore(config.eventStoreConnectionString!);
    }
  }
}
