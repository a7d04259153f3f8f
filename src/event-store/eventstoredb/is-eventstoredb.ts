import type { EventStore } from '../event-store.port';
import type { EventStoreDbEventStore } from './eventstoredb-event-store';
import { EVENTSTOREDB_STORE_KIND } from './store-kind';

/**
 * Whether `store` is the EventStoreDB adapter, told without loading it: `instanceof` needs the class,
 * and its module brings the gRPC client, ≈ 6 MB of heap in every process on another store.
 */
export function isEventStoreDb(store: EventStore): store is EventStoreDbEventStore {
  return (store as Partial<EventStoreDbEventStore>).storeKind === EVENTSTOREDB_STORE_KIND;
}
