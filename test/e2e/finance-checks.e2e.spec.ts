import { ProjectionWaiter } from '../../projections/nest/projection-waiter';
import { PROJECTIONS } from '../../projections/registry';
import { auditAccount } from '../../src/audit';
import { DATABASE, type Database } from '../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import type { ManualClock } from '../../src/shared/clock';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';

const ACCOUNT = 'org:audited';
const finance = { key: TEST_KEYS.finance };

/**
 * GET /v1/accounts/{id}/audit and POST /v1/verify over real HTTP on the real PostgreSQL store: the
 * same code as `ledger audit` and `ledger verify`, bounded (AUDIT_HTTP_MAX_EVENTS and
 * VERIFY_HTTP_MAX_ACCOUNTS are set low here to reach the limits).
 */
describe('audit and verify over HTTP', () => {
  let t: TestApp;
  let lastPosition = '';
  let beforeAdjustment = '';

  async function write(path: string, body: unknown, key: string): Promise<any> {
    const response = await t.http.post<any>(path, body, { key });
    expect(response.status).toBe(201);
    lastPosition = response.body.position;
    return response.body;
  }

  async function caughtUp(): Promise<void> {
    const waiter = t.app.get(ProjectionWaiter);
    for (const projection of PROJECTIONS)
      expect(await waiter.waitFor(projection.name, lastPosition, 10_000)).toMatchObject({
        reached: true,
      });
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIT_HTTP_MAX_EVENTS: '8', VERIFY_HTTP_MAX_ACCOUNTS: '3' } });
    const base = `/v1/accounts/${ACCOUNT}`;
    await write(
      `${base}/purchases`,
      { credits: 100, amountPaid: 1000, currency: 'USD', providerRef: 'pi_audit' },
      TEST_KEYS.granter,
    );
    await write(
      `${base}/grants`,
      { credits: 20, category: 'promotional', reason: 'promotion' },
      TEST_KEYS.granter,
    );
    await write(`${base}/spends`, { credits: 30, description: 'render' }, TEST_KEYS.service);
    await write(`${base}/reservations`, { credits: 10 }, TEST_KEYS.service);
    beforeAdjustment = t.clock.now().toISOString();
    (t.clock as ManualClock).advance(60_000);
    await write(`${base}/adjustments`, { credits: 5, reason: 'correction' }, TEST_KEYS.admin);
    await caughtUp();
  });
  afterAll(() => t?.close());

  describe('GET …/audit', () => {
    it('answers the audit report: summary, blocks with source, holds, timeline with actors', async () => {
      const response = await t.http.get<any>(`/v1/accounts/${ACCOUNT}/audit`, finance);
      expect(response.status).toBe(200);
      const report = response.body;
      expect(report.violations).toEqual([]);
      expect(report.summary).toEqual({
        events: 5,
        creditsIn: 120,
        creditsOut: 35,
        out: { spent: 30, adjusted: 5, expired: 0, reversed: 0, giftEscrow: 0, transferred: 0 },
        violations: 0,
        warnings: 0,
      });
      expect(report.closing).toMatchObject({ balance: 85, available: 75, reserved: 10 });
      expect(report.lots.map((lot: any) => [lot.source, lot.category, lot.remaining])).toEqual([
        ['purchase', 'paid', 75],
        ['grant', 'promotional', 0],
      ]);
      expect(report.holds).toEqual([expect.objectContaining({ credits: 10, status: 'open' })]);
      expect(report.timeline.map((entry: any) => [entry.type, entry.actor])).toEqual([
        ['CreditsPurchased', { kind: 'apiKey', id: 'granter' }],
        ['CreditsGranted', { kind: 'apiKey', id: 'granter' }],
        ['CreditsSpent', { kind: 'apiKey', id: 'svc' }],
        ['CreditsReserved', { kind: 'apiKey', id: 'svc' }],
        ['CreditsAdjusted', { kind: 'admin', id: 'ops' }],
      ]);
      expect(report.timeline[4].summary).toMatch(
        /^adjustment adjustment_\S+ \(down\) "correction"/,
      );
    });

    it('is the same report as `ledger audit --format json` but for the instant it was made at', async () => {
      const cli = await auditAccount(t.app.get<EventStore>(EVENT_STORE), ACCOUNT, {
        now: t.clock.now(),
      });
      const http = await t.http.get<any>(`/v1/accounts/${ACCOUNT}/audit`, finance);
      expect(http.body).toEqual(JSON.parse(JSON.stringify(cli)));
    });

    it('folds up to ?at=', async () => {
      const response = await t.http.get<any>(
        `/v1/accounts/${ACCOUNT}/audit?at=${encodeURIComponent(beforeAdjustment)}`,
        finance,
      );
      expect(response.status).toBe(200);
      expect(response.body.at).toBe(beforeAdjustment);
      expect(response.body.timeline).toHaveLength(4);
      expect(response.body.summary.out.adjusted).toBe(0);
    });

    it('answers 404 account_not_found for an account without events', async () => {
      const response = await t.http.get<any>('/v1/accounts/org:nobody/audit', finance);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('account_not_found');
    });

    it('refuses a bad ?at= (400) and keys without finance or admin (403)', async () => {
      const bad = await t.http.get<any>(`/v1/accounts/${ACCOUNT}/audit?at=yesterday`, finance);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((error: any) => error.field)).toEqual(['at']);
      for (const key of [TEST_KEYS.readOnly, TEST_KEYS.service, TEST_KEYS.granter])
        expect((await t.http.get(`/v1/accounts/${ACCOUNT}/audit`, { key })).status).toBe(403);
      expect(
        (await t.http.get(`/v1/accounts/${ACCOUNT}/audit`, { key: TEST_KEYS.admin })).status,
      ).toBe(200);
    });

    it('answers 422 stream_too_long naming the CLI past AUDIT_HTTP_MAX_EVENTS', async () => {
      const long = 'org:long';
      const clock = t.clock as ManualClock;
      let withinBound = '';
      for (let index = 0; index < 9; index++) {
        clock.advance(1_000);
        if (index === 8) withinBound = clock.now().toISOString();
        clock.advance(1_000);
        await write(
          `/v1/accounts/${long}/grants`,
          { credits: 1, category: 'promotional', reason: 'promotion' },
          TEST_KEYS.granter,
        );
      }
      const response = await t.http.get<any>(`/v1/accounts/${long}/audit`, finance);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('stream_too_long');
      expect(response.body.detail).toContain('npm run ledger -- audit org:long');
      // Up to an instant that leaves the fold within the bound, it is answered.
      const early = await t.http.get<any>(
        `/v1/accounts/${long}/audit?at=${encodeURIComponent(withinBound)}`,
        finance,
      );
      expect(early.status).toBe(200);
      expect(early.body.timeline).toHaveLength(8);
    });
  });

  describe('POST /v1/verify', () => {
    it('verifies one account: no differences', async () => {
      await caughtUp();
      const response = await t.http.post<any>('/v1/verify', { accountId: ACCOUNT }, finance);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accounts: 1, events: 5, differences: [] });
      expect(typeof response.body.tookMs).toBe('number');
    });

    it('reports a read model that differs from the streams', async () => {
      const pool = t.app.get<Database>(DATABASE).pool;
      await pool.query(
        `UPDATE account_balances SET available = available + 1, balance = balance + 1 WHERE account_id = $1`,
        [ACCOUNT],
      );
      try {
        const response = await t.http.post<any>('/v1/verify', { accountId: ACCOUNT }, finance);
        expect(response.status).toBe(200);
        expect(response.body.differences).toContainEqual({
          accountId: ACCOUNT,
          readModel: 'accounts',
          field: 'available',
          expected: 75,
          actual: 76,
        });
      } finally {
        await pool.query(
          `UPDATE account_balances SET available = available - 1, balance = balance - 1 WHERE account_id = $1`,
          [ACCOUNT],
        );
      }
    });

    it('verifies every account when there are few enough', async () => {
      const response = await t.http.post<any>('/v1/verify', {}, finance);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accounts: 2, events: 14, differences: [] });
    });

    it('answers 422 verify_too_large past VERIFY_HTTP_MAX_ACCOUNTS, naming the CLI', async () => {
      for (const accountId of ['org:c', 'org:d'])
        await write(
          `/v1/accounts/${accountId}/grants`,
          { credits: 1, category: 'promotional', reason: 'promotion' },
          TEST_KEYS.granter,
        );
      const response = await t.http.post<any>('/v1/verify', {}, finance);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('verify_too_large');
      expect(response.body.detail).toContain('ledger -- verify');
      expect((await t.http.post<any>('/v1/verify', { accountId: 'org:c' }, finance)).status).toBe(
        200,
      );
    });

    it('refuses a bad accountId (400) and keys without finance or admin (403)', async () => {
      const bad = await t.http.post<any>('/v1/verify', { accountId: 'has space' }, finance);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((error: any) => error.field)).toEqual(['accountId']);
      for (const key of [TEST_KEYS.readOnly, TEST_KEYS.service])
        expect((await t.http.post('/v1/verify', {}, { key })).status).toBe(403);
    });
  });
});
