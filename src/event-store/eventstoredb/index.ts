export {
  EventStoreDbEventStore,
  createEventStoreDbEventStore,
  normalizeConnectionString,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb-event-store';
export {
  EventStoreDbSubscriptionSource,
  backoffDelay,
  type BackoffOptions,
  type EventStoreDbSubscriptionOptions,
  type SubscriptionDrop,
  type SubscriptionMessage,
} from './eventstoredb-subscription';
