import {
  EventStoreSaturatedError,
  EventStoreUnavailableError,
} from '../event-store/event-store.port';
import { problem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';

/**
 * The event-store port's errors as problems, whichever adapter threw them (registered by
 * PlatformModule, which wires the store). No adapter's own error reaches a client.
 */
export const EVENT_STORE_PROBLEMS: ProblemMappings = [
  mapError(
    EventStoreUnavailableError,
    () => problem('unavailable', 'The event store is not reachable; retry later'),
    { transient: true },
  ),
  // Not declared transient: a Stripe event that fails on it is answered 500, not 503 (Stripe
  // delivers it again either way).
  mapError(EventStoreSaturatedError, () =>
    problem('unavailable', 'The event store is saturated; retry shortly'),
  ),
];
