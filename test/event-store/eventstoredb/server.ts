import {
  createEventStoreDbEventStore,
  type EventStoreDbEventStore,
} from '../../../src/event-store/eventstoredb/eventstoredb-event-store';

/**
 * The EventStoreDB that the gated suites run against. `npm run test:esdb` sets it (a KurrentDB
 * container it started, or the server you named); plain `npm test` runs those suites only when
 * it is set. Every spec file that uses this is listed in jest.esdb.config.js (a test checks).
 */
export const serverConnectionString: string | undefined =
  process.env.EVENTSTORE_CONNECTION_STRING?.trim() || undefined;

/**
 * `describe` when there is a server, else the same tests reported as skipped (never as passed)
 * and `skipLine` on stderr — straight there, because jest drops the console output of a file
 * whose tests are all skipped.
 */
export function describeWithServer(
  title: string,
  skipLine: string,
  body: (connectionString: string) => void,
): void {
  if (serverConnectionString) {
    describe(title, () => body(serverConnectionString));
    return;
  }
  process.stderr.write(`\n${skipLine}\n`);
  // Registers the tests without running any hook or test: their names show as skipped.
  describe.skip(title, () => body(''));
}

/** A connected adapter: a clear "unavailable" up front instead of a file of timed-out tests. */
export async function connectToServer(connectionString: string): Promise<EventStoreDbEventStore> {
  const store = createEventStoreDbEventStore(connectionString);
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
