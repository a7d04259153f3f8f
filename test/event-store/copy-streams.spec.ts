import { randomUUID } from 'node:crypto';
import { CopyDivergedError, copyStreams, type CopyProgress } from '../../src/event-store/copy-streams';
import type { EventStore, NewEvent } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

function event(n: number): NewEvent {
  return { eventId: randomUUID(), type: 'CreditsGranted', data: { n }, metadata: { occurredAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z` } };
}

async function streamSummary(store: EventStore, streamId: string) {
  return (await store.readStream(streamId)).map(({ eventId, type, data, metadata, revision }) => ({ eventId, type, data, metadata, revision }));
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
      await source.appendToStream(streamId, [event(round), event(round + 100)], { expectedRevision: revision });
    }
    await source.appendToStream('other-stream', [event(999)], { expectedRevision: 'no_stream' });
  });
  afterAll(() => database.drop());

  it('copies every stream in order with ids, data and metadata, and reports progress', async () => {
    const target = new InMemoryEventStore();
    const reports: CopyProgress[] = [];
    const result = await copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 7, onProgress: (progress) => reports.push(progress) });
    expect(result).toMatchObject({ copied: 80, skipped: 0 });
    for (const streamId of streams) expect(await streamSummary(target, streamId)).toEqual(await streamSummary(source, streamId));
    expect(await target.streamRevision('other-stream')).toBe('no_stream');
    expect(reports.length).toBeGreaterThan(5);
    expect(reports.map((report) => report.copied)).toEqual([...reports.map((report) => report.copied)].sort((a, b) => a - b));
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
    await target.appendToStream('credits-b', partial.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })), { expectedRevision: 'no_stream' });
    const result = await copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 13 });
    expect(result).toMatchObject({ copied: 75, skipped: 5 });
    expect(await streamSummary(target, 'credits-b')).toEqual(await streamSummary(source, 'credits-b'));
  });

  it('refuses a target whose stream holds other events', async () => {
    const target = new InMemoryEventStore();
    await target.appendToStream('credits-a', [event(1), event(2)], { expectedRevision: 'no_stream' });
    await expect(copyStreams(source, target, { streamPrefix: 'credits-', batchSize: 50 })).rejects.toBeInstanceOf(CopyDivergedError);
  });
});
