import { EventStoreDBClient, type ReadStreamOptions } from '@eventstore/db-client';
import {
  NO_STREAM_REVISION,
  type NewEvent,
  type RecordedEvent,
  type StreamQuery,
} from '../../../src/event-store/event-store.port';
import {
  EventStoreDbEventStore,
  normalizeConnectionString,
} from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import {
  DEFAULT_FIND_PAGING,
  findInStreamBackwards,
  type StreamReadingClient,
} from '../../../src/event-store/eventstoredb/eventstoredb-find-in-stream';
import { newEvent, uniquePrefix } from '../support/event-store-kit';
import { describeWithServer } from './server';

const STREAM_EVENTS = 100_000;
const APPEND_BATCH_EVENTS = 1_000;
/** Where the looked-up spend and its refunds sit: the spend 10,000 events before the end. */
const SPEND_REVISION = 90_000;
const REFUND_REVISIONS = [95_000, STREAM_EVENTS - 1];
/** A spend near the start, so a look-up of it must read (almost) the whole stream. */
const EARLY_SPEND_REVISION = 5;

/** Appending 100,000 events and reading them back takes tens of seconds on a CI runner. */
const LONG_TEST_TIMEOUT_MS = 300_000;

function eventAt(revision: number): NewEvent {
  if (revision === SPEND_REVISION)
    return newEvent('CreditsSpent', { spendId: 'late-spend', credits: 3 });
  if (REFUND_REVISIONS.includes(revision))
    return newEvent('CreditsRefunded', { spendId: 'late-spend', credits: 1 });
  if (revision === EARLY_SPEND_REVISION)
    return newEvent('CreditsSpent', { spendId: 'early-spend', credits: 2 });
  return newEvent('CreditsSpent', { spendId: `noise-${revision}`, credits: 1 });
}

/** db-client's readStream, adding up the most events each read may return (its maxCount). */
function countingReads(
  client: EventStoreDBClient,
): StreamReadingClient & { eventsRequested: number } {
  const counting = {
    eventsRequested: 0,
    readStream: ((streamName: string, options?: ReadStreamOptions) => {
      counting.eventsRequested += Number(options?.maxCount ?? Number.MAX_SAFE_INTEGER);
      return client.readStream(streamName, options);
    }) as StreamReadingClient['readStream'],
  };
  return counting;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

const revisionsOf = (events: RecordedEvent[]) => events.map((event) => event.revision);

/** Item 4 of issue 19: findInStream on EventStoreDB costs the distance to the spend, not the stream. */
describeWithServer(
  'findInStream on a 100,000-event EventStoreDB stream',
  'skipped: findInStream on a 100,000-event stream: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING, or npm run test:esdb with Docker)',
  (connectionString) => {
    // Not `credits-`: a projector of another test on the same server would try to apply these.
    const streamId = `${uniquePrefix('long')}account`;
    let client: EventStoreDBClient;
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      client = EventStoreDBClient.connectionString(normalizeConnectionString(connectionString));
      store = new EventStoreDbEventStore(client);
      await store.ping();
      const { ms } = await timed(async () => {
        for (let from = 0; from < STREAM_EVENTS; from += APPEND_BATCH_EVENTS) {
          const events = Array.from({ length: APPEND_BATCH_EVENTS }, (_, index) =>
            eventAt(from + index),
          );
          await store.appendToStream(streamId, events, {
            expectedRevision: from === 0 ? NO_STREAM_REVISION : from - 1,
          });
        }
      });
      process.stderr.write(
        `appended ${STREAM_EVENTS} events in batches of ${APPEND_BATCH_EVENTS}: ${ms} ms\n`,
      );
    }, LONG_TEST_TIMEOUT_MS);
    afterAll(async () => {
      await store?.close();
    });

    const lateSpend: StreamQuery = {
      dataField: 'spendId',
      equals: 'late-spend',
      throughRevision: STREAM_EVENTS - 1,
      firstMatchType: 'CreditsSpent',
    };

    it(
      'finds a spend 10,000 events back reading at most that distance and one page',
      async () => {
        expect(await store.streamRevision(streamId)).toBe(STREAM_EVENTS - 1);
        const reads = countingReads(client);
        const { value: found, ms } = await timed(() =>
          findInStreamBackwards(reads, streamId, lateSpend),
        );

        expect(revisionsOf(found)).toEqual([SPEND_REVISION, ...REFUND_REVISIONS]);
        expect(found.map((event) => event.type)).toEqual([
          'CreditsSpent',
          'CreditsRefunded',
          'CreditsRefunded',
        ]);
        const distance = STREAM_EVENTS - SPEND_REVISION;
        expect(reads.eventsRequested).toBeLessThanOrEqual(
          1 + distance + DEFAULT_FIND_PAGING.maxPageEvents,
        );
        process.stderr.write(
          `findInStream, spend ${distance} events back in a ${STREAM_EVENTS}-event stream: ${ms} ms, ${reads.eventsRequested} events requested\n`,
        );
      },
      LONG_TEST_TIMEOUT_MS,
    );

    it(
      'gives the same answer as a read of the whole stream, in a fraction of the reads',
      async () => {
        const reads = countingReads(client);
        const { value: whole, ms } = await timed(() =>
          findInStreamBackwards(reads, streamId, { ...lateSpend, firstMatchType: undefined }),
        );
        expect(revisionsOf(whole)).toEqual(
          revisionsOf(await store.findInStream(streamId, lateSpend)),
        );
        expect(reads.eventsRequested).toBeGreaterThanOrEqual(STREAM_EVENTS);
        process.stderr.write(
          `findInStream without firstMatchType (whole ${STREAM_EVENTS}-event stream): ${ms} ms\n`,
        );
      },
      LONG_TEST_TIMEOUT_MS,
    );

    it(
      'stops at throughRevision and finds a spend near the start',
      async () => {
        expect(
          revisionsOf(
            await store.findInStream(streamId, { ...lateSpend, throughRevision: 94_999 }),
          ),
        ).toEqual([SPEND_REVISION]);
        expect(
          revisionsOf(await store.findInStream(streamId, { ...lateSpend, equals: 'early-spend' })),
        ).toEqual([EARLY_SPEND_REVISION]);
        expect(
          await store.findInStream(streamId, { ...lateSpend, equals: 'no-such-spend' }),
        ).toEqual([]);
      },
      LONG_TEST_TIMEOUT_MS,
    );
  },
);
