import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  EventStoreSaturatedError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import { GroupCommitter } from '../../src/event-store/postgres/group-committer';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

function newEvent(): NewEvent {
  return { eventId: randomUUID(), type: 'Tested', data: { n: 1 }, metadata: {} };
}

describe('PostgreSQL group commit', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 10 });
  });
  afterAll(() => database.drop());

  it('writes concurrent appends to different streams in shared transactions', async () => {
    const store = new PostgresEventStore(database.pool, {
      maxInFlight: 1,
      maxEventsPerBatch: 1000,
      maxQueued: 1000,
    });
    const streams = Array.from({ length: 50 }, (_, index) => `gc-many-${index}`);
    const results = await Promise.all(
      streams.map((streamId) =>
        store.appendToStream(streamId, [newEvent(), newEvent()], {
          expectedRevision: NO_STREAM_REVISION,
        }),
      ),
    );
    expect(results.every((result) => result.lastRevision === 1)).toBe(true);
    const { rows } = await database.pool.query(
      `SELECT count(DISTINCT transaction_id)::int AS transactions, count(*)::int AS events FROM events WHERE stream_id LIKE 'gc-many-%'`,
    );
    expect(rows[0].events).toBe(100);
    // One in flight: the first append goes alone, the 49 that queued meanwhile share the next commit.
    expect(rows[0].transactions).toBeLessThanOrEqual(3);
    const revisions = await database.pool.query(
      `SELECT stream_id, array_agg(revision ORDER BY global_position) AS revisions FROM events WHERE stream_id LIKE 'gc-many-%' GROUP BY stream_id`,
    );
    expect(revisions.rows.every((row) => row.revisions.join() === '0,1')).toBe(true);
  });

  it('fails only the stream whose expected revision is stale', async () => {
    const store = new PostgresEventStore(database.pool, {
      maxInFlight: 1,
      maxEventsPerBatch: 1000,
      maxQueued: 1000,
    });
    await store.appendToStream('gc-stale', [newEvent()], { expectedRevision: NO_STREAM_REVISION });
    await store.appendToStream('gc-fresh', [newEvent()], { expectedRevision: NO_STREAM_REVISION });
    const [stale, fresh, created] = await Promise.allSettled([
      store.appendToStream('gc-stale', [newEvent()], { expectedRevision: 5 }),
      store.appendToStream('gc-fresh', [newEvent()], { expectedRevision: 0 }),
      store.appendToStream('gc-created', [newEvent()], { expectedRevision: NO_STREAM_REVISION }),
    ]);
    expect(stale.status === 'rejected' && stale.reason).toEqual(
      new WrongExpectedRevisionError('gc-stale', 5, 0),
    );
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { lastRevision: 1 } });
    expect(created).toMatchObject({ status: 'fulfilled', value: { lastRevision: 0 } });
    expect(await store.streamRevision('gc-stale')).toBe(0);
  });

  it('puts two appends to one stream in different batches: exactly one wins a revision', async () => {
    const store = new PostgresEventStore(database.pool, {
      maxInFlight: 4,
      maxEventsPerBatch: 1000,
      maxQueued: 1000,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        store.appendToStream('gc-one', [newEvent()], { expectedRevision: NO_STREAM_REVISION }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' && outcome.reason instanceof WrongExpectedRevisionError,
      ),
    ).toHaveLength(9);
  });

  it('fails only the append that reuses an event id', async () => {
    const store = new PostgresEventStore(database.pool, {
      maxInFlight: 1,
      maxEventsPerBatch: 1000,
      maxQueued: 1000,
    });
    const reused = newEvent();
    await store.appendToStream('gc-dup-first', [reused], { expectedRevision: NO_STREAM_REVISION });
    const outcomes = await Promise.allSettled([
      store.appendToStream('gc-dup-a', [newEvent()], { expectedRevision: NO_STREAM_REVISION }),
      store.appendToStream('gc-dup-b', [newEvent()], { expectedRevision: NO_STREAM_REVISION }),
      store.appendToStream('gc-dup-c', [reused], { expectedRevision: NO_STREAM_REVISION }),
      store.appendToStream('gc-dup-d', [newEvent()], { expectedRevision: NO_STREAM_REVISION }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(
      new DuplicateEventIdError('gc-dup-c', [reused.eventId]),
    );
    expect(await store.streamRevision('gc-dup-c')).toBe(NO_STREAM_REVISION);
  });

  it('refuses appends past its queue limit instead of growing without bound', async () => {
    const committer = new GroupCommitter(database.pool, {
      maxInFlight: 1,
      maxEventsPerBatch: 1,
      maxQueued: 2,
    });
    const accepted = [0, 1, 2].map((index) =>
      committer.append(`gc-queue-${index}`, [newEvent()], -1),
    );
    await expect(committer.append('gc-queue-3', [newEvent()], -1)).rejects.toBeInstanceOf(
      EventStoreSaturatedError,
    );
    await Promise.all(accepted);
  });
});
