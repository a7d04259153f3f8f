import type { Pool } from 'pg';
import { DATABASE, type Database } from '../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { streamIdFor } from '../../src/ledger/limits';
import { toLedgerEvent } from '../../src/ledger/upcast';
import { ManualClock } from '../../src/shared/clock';
import { listAccountsFromPostgres, verifyReadModels } from '../../projections/ops/verify';
import { expectInvariantsAlong } from '../ledger/invariants';
import { waitForCatchUp } from '../projections/support/projection-kit';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const grantKey = { key: TEST_KEYS.granter };
const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = '2026-03-01T12:00:00.000Z';

/**
 * Programs over HTTP on PostgreSQL (PRODUCT.md §2, API.md "Programs"): welcome and lead credits,
 * transfers (both steps, statuses, exactly once, never overdrawn, blocks keep category and expiry),
 * lead merge and closed accounts; history, `ledger verify` and the accounts' invariants after it.
 */
describe('programs: welcome, transfers, lead merge', () => {
  let database: TestDatabase;
  let t: TestApp;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      clock: new ManualClock(NOW),
      database,
      env: { WORKER_INTERVAL_MS: '3600000', SIGNUP_CREDITS: '100', LEAD_CREDITS: '20' },
    });
    pool = t.app.get<Database>(DATABASE).pool;
    store = t.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const grant = (account: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/accounts/${account}/grants`, { reason: 'adjustment', ...body }, grantKey);
  const balance = async (account: string) =>
    (await t.http.get(`/v1/accounts/${account}/balance`)).body;
  const transfer = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http.post('/v1/transfers', body, { ...grantKey, headers });
  const eventsOf = async (account: string) =>
    (await store.readStream(streamIdFor(account))).map(toLedgerEvent);

  describe('welcome', () => {
    it('grants the signup policy once: 201, then 200 with the same body', async () => {
      const first = await t.http.post('/v1/accounts/user:wendy/welcome', undefined, grantKey);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        accountId: 'user:wendy',
        policy: 'signup',
        credits: 100,
        category: 'promotional',
        expiresAt: new Date(Date.parse(NOW) + 365 * DAY_MS).toISOString(),
        balance: 100,
      });
      await t.http.post('/v1/accounts/user:wendy/spends', { credits: 10, description: 'x' });
      const again = await t.http.post('/v1/accounts/user:wendy/welcome', undefined, grantKey);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await balance('user:wendy')).balance).toBe(90);
      const grants = (await eventsOf('user:wendy')).filter((e) => e.type === 'CreditsGranted');
      expect(grants).toHaveLength(1);
      expect(grants[0].data).toMatchObject({ reason: 'signup', category: 'promotional' });
    });

    it('gives lead: ids the lead policy, and needs the grant scope', async () => {
      const lead = await t.http.post('/v1/accounts/lead:lucy/welcome', undefined, grantKey);
      expect(lead.status).toBe(201);
      expect(lead.body).toMatchObject({ policy: 'lead', credits: 20 });
      const refused = await t.http.post('/v1/accounts/lead:other/welcome');
      expect(refused.status).toBe(403);
    });
  });

  describe('transfers', () => {
    const promoExpiry = new Date(Date.parse(NOW) + 30 * DAY_MS).toISOString();

    beforeAll(async () => {
      await grant('user:ann', { credits: 100, category: 'paid' });
      await grant('user:ann', { credits: 10, category: 'promotional', expiresAt: promoExpiry });
    });

    it('moves credits; the receiving blocks keep category and expiry, source "transfer"', async () => {
      const answer = await transfer(
        { from: 'user:ann', to: 'user:bob', credits: 30, reason: 'gift' },
        { 'idempotency-key': 'gift-1' },
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        transferId: expect.stringMatching(/^transfer_/),
        status: 'completed',
        credits: 30,
        from: 'user:ann',
        to: 'user:bob',
      });
      expect((await balance('user:ann')).balance).toBe(80);
      const bob = await balance('user:bob');
      expect(bob.balance).toBe(30);
      expect(bob.blocks.map((b: any) => [b.category, b.remaining, b.expiresAt, b.source])).toEqual([
        ['promotional', 10, promoExpiry, 'transfer'],
        ['paid', 20, null, 'transfer'],
      ]);

      const status = await t.http.get(
        `/v1/transfers/${answer.body.transferId}?after=${encodeURIComponent(answer.body.position)}`,
      );
      // The POST's position is its last step's: reading after it shows the status it answered.
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        transferId: answer.body.transferId,
        status: 'completed',
        credits: 30,
        from: 'user:ann',
        to: 'user:bob',
        purpose: 'transfer',
        reason: 'gift',
      });

      // A grant is nothing to the transfers projection (Projection.affectedBy): it passes the
      // grant's position without a transaction, and a read after it still answers at once.
      const granted = await grant('user:unrelated', { credits: 5, category: 'paid' });
      expect(granted.status).toBe(201);
      const started = Date.now();
      const afterGrant = await t.http.get(
        `/v1/transfers/${answer.body.transferId}?after=${encodeURIComponent(granted.body.position)}`,
      );
      expect(afterGrant.status).toBe(200);
      expect(afterGrant.body).toEqual(status.body);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('exactly once per Idempotency-Key: a repeat answers the first transfer', async () => {
      const body = { from: 'user:ann', to: 'user:bob', credits: 5, reason: 'again' };
      const first = await transfer(body, { 'idempotency-key': 'gift-2' });
      const repeat = await transfer(body, { 'idempotency-key': 'gift-2' });
      expect(first.status).toBe(201);
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(repeat.body).toMatchObject({
        transferId: first.body.transferId,
        status: 'completed',
      });
      expect((await balance('user:ann')).balance).toBe(75);
      expect((await balance('user:bob')).balance).toBe(35);
      const reused = await transfer({ ...body, credits: 6 }, { 'idempotency-key': 'gift-2' });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('idempotency_key_reused');
    });

    it('never overdraws the source: 402 insufficient_credits, nothing moves', async () => {
      const refused = await transfer({
        from: 'user:ann',
        to: 'user:bob',
        credits: 76,
        reason: 'x',
      });
      expect(refused.status).toBe(402);
      expect(refused.body).toMatchObject({
        code: 'insufficient_credits',
        available: 75,
        required: 76,
      });
      expect((await balance('user:bob')).balance).toBe(35);
    });

    it('refuses bad requests with each field named', async () => {
      const bad = await transfer({ from: 'user:ann', to: 'user:ann', credits: 1, reason: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
      const worse = await transfer({ from: '', credits: 0 });
      expect(worse.status).toBe(400);
      expect(worse.body.errors.map((e: any) => e.field).sort()).toEqual(
        ['credits', 'from', 'reason', 'to'].sort(),
      );
      expect((await t.http.get('/v1/transfers/transfer_nope')).status).toBe(404);
    });

    it('shows in the history as `transfer` rows on both sides', async () => {
      await waitForCatchUp(pool, store);
      const ann = await t.http.get('/v1/accounts/user:ann/transactions?type=transfer');
      expect(ann.body.data.map((row: any) => row.credits)).toEqual([-5, -30]);
      const bob = await t.http.get('/v1/accounts/user:bob/transactions?type=transfer');
      expect(bob.body.data.map((row: any) => row.credits)).toEqual([5, 30]);
    });
  });

  describe('lead merge', () => {
    it('releases holds, moves every block as it is, closes the lead; a repeat answers the first', async () => {
      await t.http.post('/v1/accounts/lead:mia/welcome', undefined, grantKey);
      await grant('lead:mia', { credits: 7, category: 'paid' });
      const hold = await t.http.post('/v1/accounts/lead:mia/reservations', { credits: 5 });
      expect(hold.status).toBe(201);

      const merged = await t.http.post(
        '/v1/accounts/lead:mia/merge',
        { into: 'user:mia' },
        grantKey,
      );
      expect(merged.status).toBe(201);
      expect(merged.body).toMatchObject({
        mergeId: expect.stringMatching(/^merge_/),
        credits: 27,
        into: 'user:mia',
      });
      const lead = await balance('lead:mia');
      expect(lead).toMatchObject({ balance: 0, available: 0, reserved: 0 });
      const user = await balance('user:mia');
      expect(user.balance).toBe(27);
      expect(user.blocks.map((b: any) => [b.category, b.remaining, b.source])).toEqual([
        ['promotional', 20, 'transfer'],
        ['paid', 7, 'transfer'],
      ]);
      expect(user.blocks[0].expiresAt).toBe(new Date(Date.parse(NOW) + 365 * DAY_MS).toISOString());

      const again = await t.http.post('/v1/accounts/lead:mia/merge', { into: 'user:x' }, grantKey);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(merged.body);
      expect((await balance('user:mia')).balance).toBe(27);
      expect((await balance('user:x')).balance).toBe(0);
    });

    it('refuses every later write to the closed lead with 409 account_closed; reads still work', async () => {
      const writes = [
        t.http.post('/v1/accounts/lead:mia/spends', { credits: 1, description: 'x' }),
        grant('lead:mia', { credits: 1, category: 'paid' }),
        t.http.post('/v1/accounts/lead:mia/welcome', undefined, grantKey),
        transfer({ from: 'lead:mia', to: 'user:mia', credits: 1, reason: 'x' }),
      ];
      for (const answer of await Promise.all(writes)) {
        expect(answer.status).toBe(409);
        expect(answer.body.code).toBe('account_closed');
      }
      expect((await t.http.get('/v1/accounts/lead:mia/balance')).status).toBe(200);
      await waitForCatchUp(pool, store);
      const rows = await t.http.get('/v1/accounts/lead:mia/transactions');
      expect(rows.body.data[0].type).toBe('closure');
    });

    it('a transfer to a closed account is returned to its source', async () => {
      await grant('user:sam', { credits: 12, category: 'paid' });
      const answer = await transfer({ from: 'user:sam', to: 'lead:mia', credits: 12, reason: 'x' });
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('returned');
      const after = encodeURIComponent(answer.body.position);
      const read = await t.http.get(`/v1/transfers/${answer.body.transferId}?after=${after}`);
      expect(read.body.status).toBe('returned');
      expect((await balance('user:sam')).balance).toBe(12);
      expect((await balance('lead:mia')).balance).toBe(0);
      await waitForCatchUp(pool, store);
      const status = await t.http.get(`/v1/transfers/${answer.body.transferId}`);
      expect(status.body).toMatchObject({ status: 'returned', declinedReason: 'account_closed' });
    });
  });

  it('leaves ledger verify at 0 differences and every account consistent', async () => {
    await waitForCatchUp(pool, store);
    const report = await verifyReadModels({
      pool,
      eventStore: store,
      listAccounts: listAccountsFromPostgres(pool),
    });
    expect(report.disagreements).toEqual([]);
    for (const account of ['user:ann', 'user:bob', 'lead:mia', 'user:mia', 'user:sam']) {
      expectInvariantsAlong(await eventsOf(account));
    }
  });
});
