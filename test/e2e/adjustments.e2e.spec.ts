import { ProjectionWaiter } from '../../projections/nest/projection-waiter';
import { PROJECTIONS } from '../../projections/registry';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';

const ACCOUNT = 'user:adjusted';
const admin = { key: TEST_KEYS.admin };

/**
 * POST /v1/accounts/{id}/adjustments (issue 18 "adjust down") over real HTTP on the real PostgreSQL
 * store: the write, its history row, the audit, the refusals, the replay, and verify afterwards.
 */
describe('adjust down over HTTP', () => {
  let t: TestApp;
  let lastPosition: string;
  const adjust = (
    body: unknown,
    options: { key?: string | null; headers?: Record<string, string> } = admin,
  ) => t.http.post<any>(`/v1/accounts/${ACCOUNT}/adjustments`, body, options);

  beforeAll(async () => {
    t = await startTestApp();
    const grant = await t.http.post(
      `/v1/accounts/${ACCOUNT}/grants`,
      { credits: 100, category: 'paid', reason: 'compensation' },
      { key: TEST_KEYS.granter },
    );
    expect(grant.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('takes credits off with a reason: 201 with the new balance, actor and reason recorded', async () => {
    const response = await adjust({
      credits: 30,
      reason: 'duplicate grant',
      description: 'ticket 4211',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      credits: 30,
      balance: 70,
      available: 70,
      revision: 1,
    });
    expect(response.body.adjustmentId).toMatch(/^adjustment_/);
    expect(typeof response.body.position).toBe('string');
    lastPosition = response.body.position;

    const events = await t.http.get(`/v1/accounts/${ACCOUNT}/events`, { key: TEST_KEYS.finance });
    const event = events.body.data.at(-1);
    expect(event).toMatchObject({
      type: 'CreditsAdjusted',
      data: { adjustmentId: response.body.adjustmentId, credits: 30, reason: 'duplicate grant' },
      metadata: { actor: { kind: 'admin', id: 'ops' } },
    });
  });

  it('shows a history row of type adjusted with the reason as its description', async () => {
    const history = await t.http.get(
      `/v1/accounts/${ACCOUNT}/transactions?after=${lastPosition}&type=adjusted`,
      { key: TEST_KEYS.readOnly },
    );
    expect(history.status).toBe(200);
    expect(history.body.data).toHaveLength(1);
    expect(history.body.data[0]).toMatchObject({
      type: 'adjusted',
      credits: -30,
      balanceAfter: 70,
      description: 'duplicate grant',
    });
  });

  it('refuses more than available: 402 insufficient_credits, nothing written', async () => {
    const response = await adjust({ credits: 71, reason: 'too much' });
    expect(response.status).toBe(402);
    expect(response.body.code).toBe('insufficient_credits');
    const balance = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, {
      key: TEST_KEYS.readOnly,
    });
    expect(balance.body).toMatchObject({ balance: 70, available: 70 });
  });

  it('refuses a body without a reason, or with bad credits: 400 naming each field', async () => {
    const missing = await adjust({ credits: 5 });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('validation_failed');
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['reason']);
    const bad = await adjust({ credits: 0, reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'credits',
      'reason',
    ]);
    const tooMany = await adjust({
      credits: 1_000_000_001,
      reason: 'x',
      description: 'd'.repeat(501),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'credits',
      'description',
    ]);
  });

  it('refuses keys without the admin scope (403) and no key (401)', async () => {
    for (const key of [
      TEST_KEYS.service,
      TEST_KEYS.granter,
      TEST_KEYS.finance,
      TEST_KEYS.readOnly,
    ]) {
      const response = await adjust({ credits: 1, reason: 'x' }, { key });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
    expect((await adjust({ credits: 1, reason: 'x' }, { key: null })).status).toBe(401);
  });

  it('replays a repeat with the same Idempotency-Key: same answer, nothing written twice', async () => {
    const headers = { 'Idempotency-Key': 'adjust-once' };
    const first = await adjust({ credits: 5, reason: 'once' }, { ...admin, headers });
    expect(first.status).toBe(201);
    const again = await adjust({ credits: 5, reason: 'once' }, { ...admin, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await adjust({ credits: 6, reason: 'once' }, { ...admin, headers });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    const balance = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, {
      key: TEST_KEYS.readOnly,
    });
    expect(balance.body.available).toBe(65);
    lastPosition = first.body.position;
  });

  it('leaves the ledger consistent: the audit shows an adjustment, never a spend; verify is clean', async () => {
    const waiter = t.app.get(ProjectionWaiter);
    for (const projection of PROJECTIONS)
      expect(await waiter.waitFor(projection.name, lastPosition, 10_000)).toMatchObject({
        reached: true,
      });
    const audit = (
      await t.http.get<any>(`/v1/accounts/${ACCOUNT}/audit`, { key: TEST_KEYS.finance })
    ).body;
    expect(audit.violations).toEqual([]);
    expect(audit.summary.out).toMatchObject({ spent: 0, adjusted: 35 });
    const adjustments = audit.timeline.filter(
      (entry: { type: string }) => entry.type === 'CreditsAdjusted',
    );
    expect(adjustments.map((entry: { summary: string }) => entry.summary)).toEqual([
      expect.stringMatching(
        /^adjustment adjustment_\S+ \(down\) "duplicate grant" \(ticket 4211\)/,
      ),
      expect.stringMatching(/^adjustment adjustment_\S+ \(down\) "once"/),
    ]);
    expect(adjustments[0].actor).toEqual({ kind: 'admin', id: 'ops' });
    const verify = await t.http.post<any>('/v1/verify', {}, { key: TEST_KEYS.finance });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ accounts: 1, differences: [] });
  });
});
