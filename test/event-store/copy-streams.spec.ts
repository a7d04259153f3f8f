import { randomUUID } from 'node:crypto';
import {
  CopyDivergedError,
  copyStreams,
  type CopyProgress,
} from '../../src/event-store/copy-streams';
import {
  ClaimHeldElsewhereError,
  NO_STREAM_REVISION,
  type EventStore,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

function event(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsGranted',
    data: { n },
    metadata: { occurredAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z` },
  };
}

async function streamSummary(store: EventStore, streamId: string) {
  return (await store.readStream(streamId)).map(({ eventId, type, data, metadata, revision }) => ({
    eventId,
    type,
    data,
    metadata,
    revision,
  }));
}

/** PostgreSQL → in-memory through the same port (the EventStoreDB target runs the same code). */
describe('copyStreams', () => {
  let database: TestDatabase;
  let source: PostgresEventStore;
  const streams = ['credits-a', 'credits-b', 'credits-c'];

  beforeAll(async () => {
    database = await createTestDatabase();
    source = new PostgresEventStore(database.pool);
    // Interleaved appends: each stream's events are spread over the global log.
    for (let round = 0; round < 40; round++) {
      const streamId = streams[round % 3];
      const revision = await source.streamRevision(streamId);
      await source.appendToStream(streamId, [event(round), event(round + 100)], {
        expectedRevision: revision,
      });
    }
    await source.appendToStream('other-stream', [event(999)], {
      expectedRevision: NO_STREAM_REVISION,
    });
  });
  afterAll(() => database.drop());

  it('copies every stream in order with ids, data and metadata, and reports progress', async () => {
    const target = new InMemoryEventStore();
    const reports: CopyProgress[] = [];
    const result = await copyStreams(source, target, {
      streamPrefix: 'credits-',
      batchSize: 7,
      onProgress: (progress) => reports.push(progress),
    });
    expect(result).toMatchObject({ copied: 80, skipped: 0 });
    for (const streamId of streams)
      expect(await streamSummary(target, streamId)).toEqual(await streamSummary(source, streamId));
    expect(await target.streamRevision('other-stream')).toBe(NO_STREAM_REVISION);
    expect(reports.length).toBeGreaterThan(5);
    expect(reports.map((report) => report.copied)).toEqual(
      [...reports.map((report) => report.copied)].sort((a, b) => a - b),
    );
  });

  it('is idempotent: a second run copies nothing', async () => {
    const target = new InMemoryEventStore();
    await copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 50 });
    const again = await copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 50 });
    expect(again).toMatchObject({ copied: 0, skipped: 80 });
  });

  it('finishes a copy that stopped half way', async () => {
    const target = new InMemoryEventStore();
    const partial = (await source.readStream('credits-b')).slice(0, 5);
    await target.appendToStream(
      'credits-b',
      partial.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })),
      { expectedRevision: NO_STREAM_REVISION },
    );
    const result = await copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 13 });
    expect(result).toMatchObject({ copied: 75, skipped: 5 });
    expect(await streamSummary(target, 'credits-b')).toEqual(
      await streamSummary(source, 'credits-b'),
    );
  });

  it('refuses a target whose stream holds other events', async () => {
    const target = new InMemoryEventStore();
    await target.appendToStream('credits-a', [event(1), event(2)], {
      expectedRevision: NO_STREAM_REVISION,
    });
    await expect(
      copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 50 }),
    ).rejects.toBeInstanceOf(CopyDivergedError);
  });

  it('brings claims along: the first purchase of a reference in the source holds it in the target', async () => {
    const claimOf = (recorded: { type: string; data: Record<string, unknown> }) =>
      recorded.type === 'Purchased' ? `purchase-ref-${String(recorded.data.ref)}` : undefined;
    const purchased = (ref: string): NewEvent => ({
      eventId: randomUUID(),
      type: 'Purchased',
      data: { ref },
      metadata: {},
    });
    const db = await createTestDatabase();
    try {
      const from = new PostgresEventStore(db.pool);
      // Two purchases and a grant in one append, then a second account reusing a reference (as
      // history from before references were unique could).
      await from.appendToStream('credits-x', [purchased('r1'), event(1), purchased('r2')], {
        expectedRevision: NO_STREAM_REVISION,
      });
      await from.appendToStream('credits-y', [event(2), purchased('r1'), event(3)], {
        expectedRevision: NO_STREAM_REVISION,
      });
      const target = new InMemoryEventStore();

      const result = await copyStreams(from, target, {
        streamPrefix: 'credits-',
        batchSize: 4,
        claimOf,
      });
      expect(result).toMatchObject({ copied: 6, skipped: 0, unclaimed: 1 });
      for (const streamId of ['credits-x', 'credits-y'])
        expect(await streamSummary(target, streamId)).toEqual(await streamSummary(from, streamId));
      for (const claim of ['purchase-ref-r1', 'purchase-ref-r2']) {
        const refused = await target
          .appendToStream('credits-z', [event(4)], { expectedRevision: NO_STREAM_REVISION, claim })
          .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ClaimHeldElsewhereError);
        expect(refused).toMatchObject({ holderStreamId: 'credits-x' });
      }
      expect(
        await copyStreams(from, target, { streamPrefix: 'credits-', batchSize: 4, claimOf }),
      ).toMatchObject({ copied: 0, skipped: 6, unclaimed: 0 });
    } finally {
      await db.drop();
    }
  });
});
