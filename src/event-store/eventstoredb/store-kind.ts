/**
 * The EventStoreDB adapter's `storeKind`, in a module of its own: the adapter sets it and
 * is-eventstoredb.ts tests it, and neither may import the other (the adapter's module loads gRPC).
 */
export const EVENTSTOREDB_STORE_KIND = 'eventstoredb';
