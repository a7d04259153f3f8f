import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const esdb = process.env.EVENTSTORE_CONNECTION_STRING;
const stores: Array<[string, Record<string, string>]> = [['postgres', {}]];
if (esdb)
  stores.push([
    'eventstoredb',
    { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: esdb },
  ]);
else
  process.stderr.write(
    'no-overdraft on EventStoreDB skipped: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING)\n',
  );

/**
 * Invariants 1 and 5 under real concurrency: two app instances (two caches, two per-account
 * queues) share one event store; every spend races for the same stream.
 */
describe.each(stores)('no overdraft under concurrency (%s)', (_store, env) => {
  let database: TestDatabase;
  let instances: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 20 });
    instances = [await startTestApp({ database, env }), await startTestApp({ database, env })];
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database.drop();
  });

  it('100 credits, 300 concurrent 1-credit spends over two instances: exactly 100 succeed', async () => {
    const accountId = `hot-account-${randomUUID()}`;
    const account = `/v1/accounts/${accountId}`;
    const grant = await instances[0].http.post(
      `${account}/grants`,
      { credits: 100, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
    expect(grant.status).toBe(201);
    // Warm both caches so the race is on appends, not on first loads.
    await Promise.all(instances.map((instance) => instance.http.get(`${account}/balance`)));

    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        instances[index % 2].http.post(`${account}/spends`, {
          credits: 1,
          description: `spend ${index}`,
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 201 && status !== 402)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(100);
    expect(statuses.filter((status) => status === 402)).toHaveLength(200);
    for (const instance of instances) {
      expect((await instance.http.get(`${account}/balance`)).body).toMatchObject({
        balance: 0,
        available: 0,
        reserved: 0,
        revision: 100,
      });
    }
    const stored = await instances[0].app
      .get<EventStore>(EVENT_STORE)
      .readStream(`credits-${accountId}`);
    expect(stored).toHaveLength(101);
    const revisions = new Set(
      responses
        .filter((response) => response.status === 201)
        .map((response) => response.body.revision),
    );
    expect(revisions.size).toBe(100);
  });
});
