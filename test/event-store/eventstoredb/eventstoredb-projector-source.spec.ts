import {
  NO_STREAM_REVISION,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
} from '../../../src/event-store/event-store.port';
import type { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStoreDbProjectorSource } from '../../../projections/runtime/eventstoredb-source';
import { markPosition, newEvents, uniquePrefix } from '../support/event-store-kit';
import { connectToServer, describeWithServer } from './server';

/** Longest a test waits for the subscription to deliver what was appended. */
const DELIVERY_TIMEOUT_MS = 30_000;
const BATCH_EVENTS = 7;

/**
 * The projector's source on EventStoreDB (projections/runtime/eventstoredb-source.ts over the
 * filtered catch-up subscription to $all), against a real server. The prefix is the test's own
 * rather than `credits-`, so other tests' projectors on a shared server never see these events.
 */
describeWithServer(
  "the projector's $all source on EventStoreDB",
  "skipped: the projector's $all source on EventStoreDB: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING, or npm run test:esdb with Docker)",
  (connectionString) => {
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      store = await connectToServer(connectionString);
    });
    afterAll(async () => {
      await store?.close();
    });

    function sourceFor(prefix: string): EventStoreDbProjectorSource {
      return new EventStoreDbProjectorSource((options) =>
        store.subscribe({ ...options, streamPrefix: prefix }),
      );
    }

    /** Reads like the projector: batches from `after`, moving to each batch's position. */
    async function readUntil(
      source: EventStoreDbProjectorSource,
      after: GlobalPosition,
      count: number,
    ) {
      const events: RecordedEvent[] = [];
      const batchSizes: number[] = [];
      let position = after;
      const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
      while (events.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `only ${events.length} of ${count} events delivered within ${DELIVERY_TIMEOUT_MS} ms`,
          );
        const batch = await source.read(position, BATCH_EVENTS, 1000);
        batchSizes.push(batch.events.length);
        events.push(...batch.events);
        if (batch.position !== null) position = batch.position;
      }
      return { events, batchSizes, position };
    }

    async function appendInterleaved(prefix: string, count: number): Promise<NewEvent[]> {
      const appended: NewEvent[] = [];
      for (const [index, event] of newEvents(count).entries()) {
        await store.appendToStream(`${prefix}${'abc'[index % 3]}`, [event], {
          expectedRevision: 'any',
        });
        appended.push(event);
        // Another prefix in between: filtered out on the server.
        if (index % 5 === 0)
          await store.appendToStream(`other-${prefix}x`, newEvents(2), { expectedRevision: 'any' });
      }
      return appended;
    }

    it('hands every event of the prefix after the checkpoint once, in log order, in bounded batches', async () => {
      const prefix = uniquePrefix('projector-source');
      const start = await markPosition(store, prefix);
      const appended = await appendInterleaved(prefix, 30);
      const source = sourceFor(prefix);
      try {
        const { events, batchSizes, position } = await readUntil(source, start, appended.length);
        expect(events.map((event) => event.eventId)).toEqual(
          appended.map((event) => event.eventId),
        );
        expect(Math.max(...batchSizes)).toBeLessThanOrEqual(BATCH_EVENTS);
        for (let i = 1; i < events.length; i++)
          expect(store.comparePositions(events[i - 1].position, events[i].position)).toBeLessThan(
            0,
          );
        expect(store.comparePositions(position, events.at(-1)!.position)).toBeGreaterThanOrEqual(0);
        // The positions are the log's: the same the streams report.
        const streamA = await store.readStream(`${prefix}a`);
        expect(events.filter((event) => event.streamId === `${prefix}a`)).toEqual(streamA);
      } finally {
        await source.close();
      }
    });

    it('hands the same events again when the projector asks from an earlier checkpoint (a batch that did not commit)', async () => {
      const prefix = uniquePrefix('projector-redo');
      const start = await markPosition(store, prefix);
      const appended = await appendInterleaved(prefix, 20);
      const source = sourceFor(prefix);
      try {
        const first = await readUntil(source, start, appended.length);
        const checkpoint = first.events[9].position;
        const again = await readUntil(source, checkpoint, appended.length - 10);
        expect(again.events.map((event) => event.eventId)).toEqual(
          appended.slice(10).map((event) => event.eventId),
        );
      } finally {
        await source.close();
      }
    });

    it('wakes a waiting read as soon as a new event is appended (live, after catching up)', async () => {
      const prefix = uniquePrefix('projector-live');
      const start = await markPosition(store, prefix);
      const source = sourceFor(prefix);
      try {
        let position: GlobalPosition = start;
        // Catch up to the end of the log first (nothing of this prefix after `start`).
        const empty = await source.read(position, BATCH_EVENTS, 500);
        expect(empty.events).toEqual([]);
        if (empty.position !== null) position = empty.position;

        const started = Date.now();
        const waiting = readUntil(source, position, 1);
        const [event] = newEvents(1);
        await store.appendToStream(`${prefix}live`, [event], {
          expectedRevision: NO_STREAM_REVISION,
        });
        const { events } = await waiting;
        expect(events.map((delivered) => delivered.eventId)).toEqual([event.eventId]);
        expect(Date.now() - started).toBeLessThan(DELIVERY_TIMEOUT_MS);
      } finally {
        await source.close();
      }
    });
  },
);
