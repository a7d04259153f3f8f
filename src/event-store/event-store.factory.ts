import type { AppConfig } from '../config/app-config';
import type { Database } from '../database/database';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** The configured event store. The in-memory adapter is for tests and never chosen here. */
export function createEventStore(config: AppConfig, database: Database): EventStore {
  switch (config.eventStore) {
    case 'postgres':
      return new PostgresEventStore(database.pool);
    case 'eventstoredb':
      throw new Error('EVENT_STORE=eventstoredb is not wired yet');
  }
}
