import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import type { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from '../event-store.contract';
import { markPosition, newEvents, uniquePrefix } from '../support/event-store-kit';
import { eventually } from './fakes';
import { connectToServer, describeWithServer } from './server';

/**
 * Runs only against a real server: `npm run test:esdb` (starts KurrentDB with testcontainers), or
 * EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false for one you run (docs/eventstoredb.md).
 * Tests isolate themselves with unique stream prefixes, so a long-lived server is fine. Without a
 * server the suite is reported as skipped, never as passed.
 */
describeWithServer(
  'EventStoreDB against a server',
  'skipped: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false)',
  (connectionString) => {
    describeEventStoreContract(
      'eventstoredb',
      async () => {
        const store = await connectToServer(connectionString);
        // The contract closes the store (the port's close); nothing else to release.
        return { store, teardown: async () => undefined };
      },
      { appendExclusive: false },
    ); // no locks on EventStoreDB: optimistic appends only

    describe('EventStoreDbSubscriptionSource against a server', () => {
      let store: EventStoreDbEventStore;

      beforeAll(async () => {
        store = await connectToServer(connectionString);
      });
      afterAll(async () => {
        await store?.close();
      });

      it('delivers the prefix in log order from a checkpoint, and resumes after where it stopped', async () => {
        const prefix = uniquePrefix('subscription');
        const start = await markPosition(store, prefix);
        const first = newEvents(6);
        for (const [index, event] of first.entries()) {
          await store.appendToStream(`${prefix}${index % 2 === 0 ? 'a' : 'b'}`, [event], {
            expectedRevision: 'any',
          });
        }
        await store.appendToStream(`other-${prefix}a`, newEvents(3), { expectedRevision: 'any' });

        const seen: RecordedEvent[] = [];
        const drops: unknown[] = [];
        const source = store.subscribe({
          from: start,
          streamPrefix: prefix,
          handler: async (message) => {
            if (message.kind === 'event') seen.push(message.event);
          },
          onDrop: (drop) => drops.push(drop.error),
        });
        source.start();
        await eventually(() => seen.length >= first.length, 15_000);
        await source.stop();
        expect(seen.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
        expect(drops).toEqual([]);
        const stream = await store.readStream(`${prefix}a`);
        expect(seen.filter((event) => event.streamId === `${prefix}a`)).toEqual(stream);

        // A new source from the stored position sees only what came after.
        const later = newEvents(2);
        await store.appendToStream(`${prefix}a`, later, { expectedRevision: 2 });
        const resumed: string[] = [];
        const again = store.subscribe({
          from: source.position,
          streamPrefix: prefix,
          handler: async (message) => {
            if (message.kind === 'event') resumed.push(message.event.eventId);
          },
        });
        again.start();
        await eventually(() => resumed.length >= later.length, 15_000);
        await again.stop();
        expect(resumed).toEqual(later.map((event) => event.eventId));
      });
    });
  },
);
