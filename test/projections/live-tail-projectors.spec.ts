import type { PoolClient } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { ManualClock } from '../../src/shared/clock';
import { accountsProjection } from '../../projections/accounts.projection';
import type { Projection, ProjectedEvent } from '../../projections/projection';
import { LiveLogTail } from '../../projections/runtime/live-tail';
import { PollingProjectorSource } from '../../projections/runtime/polling-source';
import { lockKeyOf, Projector } from '../../projections/runtime/projector';
import { transactionsProjection } from '../../projections/transactions.projection';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { runLedgerWorkload } from './support/ledger-workload';
import { eventually, historyMatchesEvents, waitForCatchUp } from './support/projection-kit';

/** A reactor-like projection that records what it is given (its effects: an in-memory list). */
function recorder(name: string, failing: () => boolean = () => false) {
  const seen: string[] = [];
  const projection: Projection = {
    name,
    tables: [],
    description: 'test: records the events it applies',
    apply: (_client: PoolClient, events: readonly ProjectedEvent[]) => {
      if (failing()) return Promise.reject(new Error(`${name}: poison batch`));
      seen.push(...events.map((event) => event.eventId));
      return Promise.resolve();
    },
  };
  return { projection, seen };
}

/**
 * The live projectors of one process on one LiveLogTail, against a real PostgreSQL: the read
 * models come out as with a source each, while a projector that keeps failing and a standby one
 * (another "process" holds its lock) hold no one back, then catch up on their own reads.
 */
describe('live projectors sharing one read of the log (PostgreSQL)', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase({ poolMax: 10 });
    writer = await startTestApp({ database: db, env: { ROLE: 'api' } });
    store = new PostgresEventStore(db.pool);
  });
  afterEach(async () => {
    try {
      await writer.close();
    } finally {
      await db.drop();
    }
  });

  it('projects every event exactly once, in order, while a failing and a standby projector lag', async () => {
    let ownSources = 0;
    const tail = new LiveLogTail(
      new PollingProjectorSource(store),
      () => {
        ownSources += 1;
        return new PollingProjectorSource(store);
      },
      { compare: (a, b) => store.comparePositions(a, b), maxHeldBatches: 16 },
    );
    let poisoned = true;
    const poison = recorder('live-poison', () => poisoned);
    const standby = recorder('live-standby');
    const healthy = recorder('live-healthy');
    const holder = await db.pool.connect(); // another process holds the standby's lock
    await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
      lockKeyOf(standby.projection.name),
    ]);
    const projectors = [
      accountsProjection,
      transactionsProjection,
      healthy.projection,
      poison.projection,
      standby.projection,
    ].map(
      (projection) =>
        new Projector({
          projection,
          source: tail.consumer(),
          connectionString: db.connectionString,
          timings: {
            batchSize: 40,
            idleMaxMs: 20,
            standbyRetryMs: 50,
            errorBackoffInitialMs: 10,
            errorBackoffMaxMs: 40,
          },
        }),
    );
    try {
      projectors.forEach((projector) => projector.start());
      await runLedgerWorkload(writer.app, {
        accounts: 12,
        commands: 300,
        seed: 7,
        clock: writer.clock as ManualClock,
        concurrency: 6,
      });
      await waitForCatchUp(db.pool, store, 20_000, [
        'accounts',
        'transactions',
        healthy.projection.name,
      ]);
      const { rows } = await db.pool.query<{ event_id: string }>(
        `SELECT event_id::text FROM events WHERE starts_with(stream_id, 'credits-')
         ORDER BY transaction_id, global_position`,
      );
      const all = rows.map((row) => row.event_id);
      expect(healthy.seen).toEqual(all);
      expect(poison.seen).toEqual([]);
      expect(standby.seen).toEqual([]);
      const history = await historyMatchesEvents(db.pool);
      expect(history).toMatchObject({ missing: 0, duplicated: 0, broken: 0 });
      expect(history.rows).toBe(all.length);
      expect(tail.heldBatches).toBeLessThanOrEqual(16);
      // Shared: four projectors reading alone would have read the log at least 4 × (events / 40) times.
      expect(tail.chainReads).toBeLessThan(all.length);

      poisoned = false;
      await holder.query('SELECT pg_advisory_unlock_all()');
      await waitForCatchUp(db.pool, store, 20_000, [
        poison.projection.name,
        standby.projection.name,
      ]);
      expect(poison.seen).toEqual(all);
      expect(standby.seen).toEqual(all);
      expect(ownSources).toBeGreaterThanOrEqual(1); // the poisoned retries read on their own

      // Caught up, they all follow the shared read again: a new event reaches every projection.
      const chainReads = tail.chainReads;
      await runLedgerWorkload(writer.app, {
        accounts: 12,
        commands: 20,
        seed: 8,
        clock: writer.clock as ManualClock,
        concurrency: 2,
      });
      const everything = await waitForEverything(db, healthy.seen);
      await eventually(
        () => [poison, standby].every((r) => r.seen.length === everything.length),
        10_000,
        'the lagging projectors following the new events',
      );
      expect(poison.seen).toEqual(everything);
      expect(standby.seen).toEqual(everything);
      expect(tail.chainReads).toBeGreaterThan(chainReads);
    } finally {
      holder.release();
      await Promise.allSettled(projectors.map((projector) => projector.stop()));
      await tail.close();
    }
  });
});

/** The ledger's event ids once `seen` has them all. */
async function waitForEverything(db: TestDatabase, seen: string[]): Promise<string[]> {
  let all: string[] = [];
  await eventually(
    async () => {
      const { rows } = await db.pool.query<{ event_id: string }>(
        `SELECT event_id::text FROM events WHERE starts_with(stream_id, 'credits-')
         ORDER BY transaction_id, global_position`,
      );
      all = rows.map((row) => row.event_id);
      return seen.length === all.length;
    },
    10_000,
    'the healthy projector following the new events',
  );
  return all;
}
