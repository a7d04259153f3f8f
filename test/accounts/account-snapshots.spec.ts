import { randomUUID } from 'node:crypto';
import { AccountRepository } from '../../src/accounts/write-path/account-repository';
import {
  AccountSnapshots,
  SNAPSHOT_AFTER_EVENTS,
} from '../../src/accounts/write-path/account-snapshots';
import { loadConfig } from '../../src/config/load-config';
import { NO_STREAM_REVISION, type NewEvent } from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const config = loadConfig({});
const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system', id: 'test' },
  schemaVersion: 1,
};

function spent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsSpent',
    data: {
      spendId: `spend_${randomUUID()}`,
      credits: 1,
      description: 'x',
      drawdown: [{ blockId: 'block_1', credits: 1 }],
    },
    metadata,
  };
}

async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

describe('account snapshots', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool);
    const grant: NewEvent = {
      eventId: randomUUID(),
      type: 'CreditsGranted',
      data: { blockId: 'block_1', credits: 1_000_000, category: 'paid', reason: 'adjustment' },
      metadata,
    };
    let revision = (
      await store.appendToStream('credits-long', [grant], { expectedRevision: NO_STREAM_REVISION })
    ).lastRevision;
    while (revision < SNAPSHOT_AFTER_EVENTS) {
      revision = (
        await store.appendToStream('credits-long', Array.from({ length: 1000 }, spent), {
          expectedRevision: revision,
        })
      ).lastRevision;
    }
  });
  afterAll(() => database.drop());

  it('a long cold fold leaves a snapshot; the next cold load reads only the tail after it', async () => {
    const snapshots = new AccountSnapshots(database.pool);
    const folded = await new AccountRepository(store, config, snapshots).refresh('long');
    const saved = await waitFor(
      async () =>
        (
          await database.pool.query('SELECT revision FROM account_snapshots WHERE stream_id = $1', [
            'credits-long',
          ])
        ).rows[0] ?? null,
    );
    expect(saved.revision).toBe(folded.revision);

    await store.appendToStream('credits-long', [spent(), spent()], {
      expectedRevision: folded.revision,
    });
    const reads = jest.spyOn(store, 'readStreamTails');
    const loaded = await new AccountRepository(store, config, snapshots).refresh('long');
    expect(reads).toHaveBeenCalledWith(
      [{ streamId: 'credits-long', fromRevision: folded.revision + 1 }],
      expect.any(Number),
    );
    const fresh = await new AccountRepository(store, config).refresh('long');
    expect(loaded).toEqual(fresh);
    expect(loaded.revision).toBe(folded.revision + 2);
  });

  it('ignores a snapshot written by another state version', async () => {
    await database.pool.query(
      `INSERT INTO account_snapshots (stream_id, revision, state_version, state) VALUES ('credits-versioned', 0, -1, '{"bogus":true}')`,
    );
    const snapshots = new AccountSnapshots(database.pool);
    expect(await snapshots.load('credits-versioned')).toBeNull();
  });
});
