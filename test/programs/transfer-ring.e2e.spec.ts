import type { Pool } from 'pg';
import { DATABASE, type Database } from '../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { streamIdFor } from '../../src/ledger/limits';
import { toLedgerEvent } from '../../src/ledger/upcast';
import { listAccountsFromPostgres, verifyReadModels } from '../../projections/ops/verify';
import { expectInvariantsAlong } from '../ledger/invariants';
import { waitForCatchUp } from '../projections/support/projection-kit';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const grantKey = { key: TEST_KEYS.granter };
const ACCOUNTS = Array.from({ length: 10 }, (_, index) => `ring:${index}`);
const START_CREDITS = 100;
const TRANSFERS = 200;

/**
 * PRODUCT.md §2: transfers between accounts never deadlock and never need a global lock. 200
 * transfers at once around a ring of 10 accounts (each account both sends and receives, in both
 * directions of every pair), through two instances of the service on one database (so appends race
 * across processes too): every request ends (201 or 402), every accepted transfer completes, no
 * credit is created or lost, and every account's stream keeps the ledger's invariants.
 */
describe('transfers in a ring, all at once', () => {
  let database: TestDatabase;
  let apps: TestApp[];
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { WORKER_INTERVAL_MS: '3600000' };
    apps = [await startTestApp({ database, env }), await startTestApp({ database, env })];
    pool = apps[0].app.get<Database>(DATABASE).pool;
    store = apps[0].app.get<EventStore>(EVENT_STORE);
    for (const account of ACCOUNTS) {
      const granted = await apps[0].http.post(
        `/v1/accounts/${account}/grants`,
        { credits: START_CREDITS, category: 'paid', reason: 'adjustment' },
        grantKey,
      );
      expect(granted.status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    await database?.drop();
  });

  it('ends every request, completes every transfer, creates and loses nothing', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: TRANSFERS }, (_, n) => {
        const from = n % ACCOUNTS.length;
        // Half clockwise, half counter-clockwise: every pair sends both ways at once.
        const to = (from + (n % 4 < 2 ? 1 : ACCOUNTS.length - 1)) % ACCOUNTS.length;
        return apps[n % 2].http.post(
          '/v1/transfers',
          { from: ACCOUNTS[from], to: ACCOUNTS[to], credits: 1 + (n % 23), reason: `ring ${n}` },
          { ...grantKey, headers: { 'idempotency-key': `ring-${n}` } },
        );
      }),
    );
    const elapsedMs = Date.now() - started;
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 201 && status !== 402)).toEqual([]);
    const accepted = answers.filter((answer) => answer.status === 201);
    expect(accepted.length).toBeGreaterThan(TRANSFERS / 2);
    // Elapsed time is reported, not asserted: the machine is shared.
    console.log(
      `ring: ${TRANSFERS} transfers in ${elapsedMs} ms, ${accepted.length} accepted, ` +
        `${accepted.filter((answer) => answer.body.status === 'completed').length} completed in the answer`,
    );

    await waitForCatchUp(pool, store, 30_000);
    for (const answer of accepted) {
      const status = await apps[0].http.get(`/v1/transfers/${answer.body.transferId}`);
      expect({ id: answer.body.transferId, status: status.body.status }).toEqual({
        id: answer.body.transferId,
        status: 'completed',
      });
    }

    let total = 0;
    for (const account of ACCOUNTS) {
      const balance = (await apps[1].http.get(`/v1/accounts/${account}/balance`)).body;
      expect(balance.available).toBeGreaterThanOrEqual(0);
      total += balance.balance;
      expectInvariantsAlong((await store.readStream(streamIdFor(account))).map(toLedgerEvent));
    }
    expect(total).toBe(ACCOUNTS.length * START_CREDITS);

    const report = await verifyReadModels({
      pool,
      eventStore: store,
      listAccounts: listAccountsFromPostgres(pool),
    });
    expect(report.disagreements).toEqual([]);
  }, 60_000);
});
