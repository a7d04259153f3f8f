import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { findFreePort } from '../../src/database/embedded-postgres';
import { createPool } from '../../src/database/pool';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  NO_STREAM_REVISION,
  type ExpectedRevision,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import { appendInTransaction } from '../../src/event-store/postgres/postgres-append';
import {
  PostgresEventStore,
  READ_ALL_MAX_COUNT,
} from '../../src/event-store/postgres/postgres-event-store';
import {
  encodePosition,
  parsePosition,
  START_POSITION,
} from '../../src/event-store/postgres/postgres-position';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { describeEventStoreContract, type HeldAppend } from './event-store.contract';
import {
  expectConflict,
  expectNoDuplicates,
  expectStreamOrder,
  LogReader,
  markPosition,
  newEvent,
  newEvents,
  readUntilSeen,
  uniquePrefix,
} from './support/event-store-kit';

/** An append in a transaction left open: it holds its xid and global positions until commit. */
async function holdOpenAppend(
  pool: Pool,
  streamId: string,
  events: NewEvent[],
  expected: ExpectedRevision = NO_STREAM_REVISION,
): Promise<HeldAppend> {
  const client = await pool.connect();
  const onError = () => undefined; // a lost connection surfaces on commit()
  client.on('error', onError);
  const release = () => {
    client.removeListener('error', onError);
    client.release();
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await appendInTransaction(client, streamId, events, expected);
    const finish = async (command: string) => {
      try {
        await client.query(command);
      } finally {
        release();
      }
    };
    return { result, commit: () => finish('COMMIT'), rollback: () => finish('ROLLBACK') };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    release();
    throw error;
  }
}

describeEventStoreContract(
  'postgres',
  async () => {
    const db = await createTestDatabase({ poolMax: 25 });
    return {
      store: new PostgresEventStore(db.pool),
      teardown: () => db.drop(),
      holdOpenTransaction: (streamId, events) => holdOpenAppend(db.pool, streamId, events),
    };
  },
  { appendExclusive: true },
);

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase({ poolMax: 25 });
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('the global log and late commits', () => {
    it('never lets a reader skip an event that a slower transaction commits after faster ones', async () => {
      const prefix = uniquePrefix('late');
      const reader = new LogReader(store, await markPosition(store, prefix), {
        streamPrefix: prefix,
        pageSize: () => 3,
      });
      const slow = newEvent('Slow');
      // The slow transaction takes its xid and global position first, and commits last.
      const held = await holdOpenAppend(db.pool, `${prefix}slow`, [slow]);
      const fast: NewEvent[] = [];
      const fastPositions: string[] = [];
      try {
        for (let i = 0; i < 20; i++) {
          const events = newEvents(1 + (i % 3), 'Fast');
          fastPositions.push(
            (
              await store.appendToStream(`${prefix}fast-${i % 5}`, events, {
                expectedRevision: 'any',
              })
            ).position,
          );
          fast.push(...events);
          await reader.catchUp();
          // Nothing ordered after the open transaction is handed out while it might still commit.
          expect(reader.seen).toEqual([]);
        }
        // The trap: by global_position alone the slow event sorts first but commits last, so a
        // reader checkpointing on global_position would already be past it.
        const slowPosition = parsePosition(held.result.position);
        for (const position of fastPositions) {
          expect(parsePosition(position).globalPosition).toBeGreaterThan(
            slowPosition.globalPosition,
          );
          expect(parsePosition(position).transactionId).toBeGreaterThan(slowPosition.transactionId);
        }
        const naive = await db.pool.query(
          `SELECT max(global_position) AS checkpoint FROM events WHERE starts_with(stream_id, $1)`,
          [prefix],
        );
        expect(Number(naive.rows[0].checkpoint)).toBeGreaterThan(
          Number(slowPosition.globalPosition),
        );
      } finally {
        await held.commit();
      }

      const all = [slow, ...fast].map((event) => event.eventId);
      await readUntilSeen(reader, all, prefix);
      expect(reader.seenIds()).toEqual(all); // the slow transaction's xid is the smallest: it comes first
      expectNoDuplicates(reader.seen);
      expectStreamOrder(reader.seen);
    });

    it('loses nothing to a continuously polling reader while appenders of different streams interleave', async () => {
      const prefix = uniquePrefix('mixed');
      const start = await markPosition(store, prefix);
      const committed = new Set<string>();
      const rolledBack = new Set<string>();
      let writing = true;
      const reader = new LogReader(store, start, {
        streamPrefix: prefix,
        pageSize: () => 1 + Math.floor(Math.random() * 20),
      });
      const polling = (async () => {
        while (writing) {
          await reader.catchUp();
          await sleep(Math.random() * 5);
        }
      })();
      const writer = async (writerIndex: number) => {
        const deadline = Date.now() + 2_000;
        for (let round = 0; Date.now() < deadline && round < 60; round++) {
          const streamId = `${prefix}${writerIndex}-${round % 4}`;
          const events = newEvents(1 + Math.floor(Math.random() * 3), 'Mixed');
          const roll = Math.random();
          if (roll < 0.6) {
            await store.appendToStream(streamId, events, { expectedRevision: 'any' });
          } else {
            // A slow append: holds its xid for a while, then commits or (sometimes) rolls back.
            const held = await holdOpenAppend(
              db.pool,
              streamId,
              events,
              await store.streamRevision(streamId),
            );
            await sleep(Math.random() * 40);
            if (roll < 0.93) {
              await held.commit();
            } else {
              await held.rollback();
              for (const event of events) rolledBack.add(event.eventId);
              continue;
            }
          }
          for (const event of events) committed.add(event.eventId);
        }
      };
      try {
        await Promise.all(Array.from({ length: 8 }, (_, index) => writer(index)));
      } finally {
        writing = false;
        await polling;
      }

      const seen = await readUntilSeen(reader, committed, prefix);
      const ownIds = seen
        .filter((event) => !event.streamId.startsWith(`${prefix}marker`))
        .map((event) => event.eventId);
      expect(rolledBack.size + committed.size).toBeGreaterThan(100);
      expect(new Set(ownIds)).toEqual(committed);
      expect(ownIds).toHaveLength(committed.size);
      expectStreamOrder(seen.filter((event) => !event.streamId.startsWith(`${prefix}marker`)));
      // A fresh reader sees the same log in the same order.
      const fresh = new LogReader(store, start, { streamPrefix: prefix, pageSize: () => 500 });
      await fresh.catchUp();
      expect(fresh.seen.map((event) => event.position)).toEqual(
        seen.map((event) => event.position),
      );
    });
  });

  describe('appending', () => {
    it('refuses to append inside a transaction that already holds an xid', async () => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT pg_current_xact_id()`);
        await expect(
          appendInTransaction(client, `${uniquePrefix('xid')}s`, newEvents(1), 'any'),
        ).rejects.toThrow(/first write/);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('rejects an event id already recorded in any stream, writing nothing', async () => {
      const prefix = uniquePrefix('dup');
      const event = newEvent();
      await store.appendToStream(`${prefix}a`, [event], { expectedRevision: NO_STREAM_REVISION });

      await expect(
        store.appendToStream(`${prefix}b`, [newEvent(), event], {
          expectedRevision: NO_STREAM_REVISION,
        }),
      ).rejects.toEqual(new DuplicateEventIdError(`${prefix}b`, [event.eventId]));
      await expect(
        store.appendToStream(`${prefix}a`, [event], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expectConflict(
        store.appendToStream(`${prefix}a`, [event], { expectedRevision: NO_STREAM_REVISION }),
        {
          streamId: `${prefix}a`,
          expected: NO_STREAM_REVISION,
          actual: 0,
        },
      );
      expect(await store.streamRevision(`${prefix}b`)).toBe(NO_STREAM_REVISION);
      expect(await store.streamRevision(`${prefix}a`)).toBe(0);
    });

    it('rolls back the stream revision when inserting the events fails, and keeps the pool healthy', async () => {
      const streamId = `${uniquePrefix('rollback')}s`;
      await store.appendToStream(streamId, newEvents(1), { expectedRevision: NO_STREAM_REVISION });
      // jsonb cannot hold a NUL character: the events INSERT fails after the stream row was updated.
      const poisoned = newEvent('Poisoned', { text: 'nul \u0000 here' });
      await expect(
        store.appendToStream(streamId, [poisoned], { expectedRevision: 0 }),
      ).rejects.toThrow(/unsupported Unicode|\\u0000/);
      expect(await store.streamRevision(streamId)).toBe(0);
      expect(db.pool.totalCount).toBe(db.pool.idleCount);
      expect(
        (await store.appendToStream(streamId, newEvents(1), { expectedRevision: 0 })).lastRevision,
      ).toBe(1);
    });

    it('empty appends report the position of the stream’s last event, or the start of the log', async () => {
      const streamId = `${uniquePrefix('empty')}s`;
      expect(await store.appendToStream(streamId, [], { expectedRevision: 'any' })).toEqual({
        lastRevision: -1,
        position: START_POSITION,
      });
      const written = await store.appendToStream(streamId, newEvents(3), {
        expectedRevision: NO_STREAM_REVISION,
      });
      expect(await store.appendToStream(streamId, [], { expectedRevision: 2 })).toEqual(written);
    });
  });

  describe('reading the global log', () => {
    it('caps a page at READ_ALL_MAX_COUNT events, with and without a prefix', async () => {
      const prefix = uniquePrefix('cap');
      const start = await markPosition(store, prefix);
      const result = await store.appendToStream(`${prefix}big`, newEvents(READ_ALL_MAX_COUNT + 1), {
        expectedRevision: NO_STREAM_REVISION,
      });
      expect(result.lastRevision).toBe(READ_ALL_MAX_COUNT);
      // Wait until visible (an older transaction elsewhere in the cluster may delay it).
      for (
        let tries = 0;
        (await store.readAll({ after: start, maxCount: 1 })).events.length === 0;
        tries++
      ) {
        expect(tries).toBeLessThan(500);
        await sleep(20);
      }

      const page = await store.readAll({ after: start, maxCount: 50_000 });
      expect(page.events).toHaveLength(READ_ALL_MAX_COUNT);
      expect(page.events.map((event) => event.revision)).toEqual(
        page.events.map((_, index) => index),
      );
      const rest = await store.readAll({ after: page.lastPosition, maxCount: 50_000 });
      expect(rest.events.map((event) => event.revision)).toEqual([READ_ALL_MAX_COUNT]);
      expect(rest.lastPosition).toBe(result.position);
      expect(
        (await store.readAll({ after: start, maxCount: 50_000, streamPrefix: prefix })).events,
      ).toHaveLength(READ_ALL_MAX_COUNT);
    });

    it('moves a prefix reader past non-matching events in bounded steps', async () => {
      const prefix = uniquePrefix('skip');
      const start = await markPosition(store, prefix);
      await store.appendToStream(`${prefix}noise`, newEvents(2_500), {
        expectedRevision: NO_STREAM_REVISION,
      });
      const wanted = newEvent('Wanted');
      await store.appendToStream(`${prefix}wanted`, [wanted], {
        expectedRevision: NO_STREAM_REVISION,
      });
      const reader = new LogReader(store, start, {
        streamPrefix: `${prefix}wanted`,
        pageSize: () => 10,
      });
      await reader.pollUntil((seen) => seen.length === 1);

      const first = await store.readAll({
        after: start,
        maxCount: 10,
        streamPrefix: `${prefix}wanted`,
      });
      expect(first.events).toEqual([]);
      expect(store.comparePositions(first.lastPosition!, start)).toBeGreaterThan(0);
      expect(reader.seenIds()).toEqual([wanted.eventId]);
      expect(reader.pages).toBeGreaterThanOrEqual(3);
    });

    it('encodes positions as zero-padded (transaction id, global position) compared numerically', () => {
      const early = encodePosition(9n, 500);
      const late = encodePosition(10n, 2);
      expect(early).toBe('00000000000000000009-00000000000000000500');
      expect(store.comparePositions(early, late)).toBeLessThan(0);
      expect(early < late).toBe(true); // text order agrees
      expect(store.comparePositions('9-500', '10-2')).toBeLessThan(0);
      expect(store.comparePositions('10-2', late)).toBe(0);
      expect(store.comparePositions(START_POSITION, early)).toBeLessThan(0);
      expect(parsePosition(encodePosition(2n ** 64n - 1n, 2n ** 63n - 1n))).toEqual({
        transactionId: 2n ** 64n - 1n,
        globalPosition: 2n ** 63n - 1n,
      });
      expect(() => store.comparePositions('12', late)).toThrow(RangeError);
      expect(() => store.comparePositions(early, '1-2-3')).toThrow(RangeError);
    });

    it('accepts unpadded positions and rejects foreign ones', async () => {
      await expect(store.readAll({ after: '0-0', maxCount: 1 })).resolves.toEqual(
        expect.objectContaining({ events: expect.any(Array) }),
      );
      await expect(store.readAll({ after: '42', maxCount: 1 })).rejects.toThrow(RangeError);
    });
  });

  describe('lifecycle and failures', () => {
    it('maps an unreachable database to EventStoreUnavailableError', async () => {
      const pool = createPool({
        connectionString: `postgres://nobody:nothing@127.0.0.1:${await findFreePort()}/none`,
        max: 2,
        applicationName: 'test',
      });
      const unreachable = new PostgresEventStore(pool);
      try {
        await expect(unreachable.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await expect(unreachable.readStream('s')).rejects.toBeInstanceOf(
          EventStoreUnavailableError,
        );
        await expect(unreachable.streamRevision('s')).rejects.toBeInstanceOf(
          EventStoreUnavailableError,
        );
        await expect(unreachable.readAll({ after: null, maxCount: 1 })).rejects.toBeInstanceOf(
          EventStoreUnavailableError,
        );
        await expect(
          unreachable.appendToStream('s', newEvents(1), { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await expect(
          unreachable.appendToStream('s', [], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      } finally {
        await pool.end();
      }
      await expect(unreachable.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError); // pool ended
    });

    it('maps a connection killed mid-transaction to EventStoreUnavailableError and recovers', async () => {
      const streamId = `${uniquePrefix('killed')}s`;
      const held = await holdOpenAppend(db.pool, streamId, newEvents(1));
      // Another append waits on the held stream row; kill its backend while it waits.
      const waiting = store.appendToStream(streamId, newEvents(1), { expectedRevision: 'any' });
      let killed = 0;
      for (let i = 0; i < 100 && killed === 0; i++) {
        await sleep(20);
        const { rows } = await db.pool.query(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        killed = rows.length;
      }
      await expect(waiting).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await held.commit();
      expect(await store.streamRevision(streamId)).toBe(0);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('close() leaves the caller’s pool open', async () => {
      const own = new PostgresEventStore(db.pool);
      await own.close();
      await expect(db.pool.query('SELECT 1')).resolves.toBeDefined();
    });
  });
});
