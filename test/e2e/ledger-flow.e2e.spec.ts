import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

const grantKey = { key: TEST_KEYS.granter };

describe('ledger flow over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('grants, spends, refunds and reports the balance', async () => {
    const account = '/v1/accounts/user-flow-1';
    const grant = await t.http.post(
      `${account}/grants`,
      { credits: 100, category: 'promotional', reason: 'signup' },
      grantKey,
    );
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({
      credits: 100,
      balance: 100,
      available: 100,
      reserved: 0,
      revision: 0,
    });
    expect(typeof grant.body.blockId).toBe('string');
    expect(typeof grant.body.position).toBe('string');

    const spend = await t.http.post(`${account}/spends`, {
      credits: 30,
      description: 'render',
      reference: 'job-1',
    });
    expect(spend.status).toBe(201);
    expect(spend.body).toMatchObject({ credits: 30, balance: 70, available: 70, revision: 1 });

    const refund = await t.http.post(`${account}/refunds`, {
      spendId: spend.body.spendId,
      credits: 10,
      reason: 'render failed',
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({
      spendId: spend.body.spendId,
      credits: 10,
      balance: 80,
      available: 80,
      revision: 2,
    });

    const rest = await t.http.post(`${account}/refunds`, {
      spendId: spend.body.spendId,
      reason: 'the rest',
    });
    expect(rest.body).toMatchObject({ credits: 20, balance: 100 });

    const balance = await t.http.get(`${account}/balance`);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      accountId: 'user-flow-1',
      balance: 100,
      available: 100,
      reserved: 0,
      revision: 3,
    });
    expect(balance.body.blocks).toEqual([
      expect.objectContaining({
        blockId: grant.body.blockId,
        remaining: 100,
        category: 'promotional',
      }),
    ]);
  });

  it('answers an account that never had events with zeros', async () => {
    const balance = await t.http.get('/v1/accounts/nobody-yet/balance');
    expect(balance.body).toEqual({
      accountId: 'nobody-yet',
      balance: 0,
      available: 0,
      reserved: 0,
      blocks: [],
      revision: -1,
      // 0 available is below LOW_BALANCE_THRESHOLD (PRODUCT.md §5).
      lowBalance: true,
    });
  });

  it('checks without writing', async () => {
    await t.http.post(
      '/v1/accounts/user-check/grants',
      { credits: 5, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const enough = await t.http.post('/v1/accounts/user-check/check', { credits: 5 });
    expect(enough.status).toBe(200);
    expect(enough.body).toEqual({ sufficient: true, available: 5, balance: 5 });
    const short = await t.http.post('/v1/accounts/user-check/check', { credits: 6 });
    expect(short.body).toEqual({ sufficient: false, available: 5, balance: 5 });
    expect((await t.http.get('/v1/accounts/user-check/balance')).body.revision).toBe(0);
  });

  it('refuses an overdraft with 402 and the numbers', async () => {
    await t.http.post(
      '/v1/accounts/user-poor/grants',
      { credits: 3, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const spend = await t.http.post('/v1/accounts/user-poor/spends', {
      credits: 4,
      description: 'too much',
    });
    expect(spend.status).toBe(402);
    expect(spend.headers.get('content-type')).toContain('application/problem+json');
    expect(spend.body).toMatchObject({
      status: 402,
      code: 'insufficient_credits',
      available: 3,
      required: 4,
    });
    expect((await t.http.get('/v1/accounts/user-poor/balance')).body.revision).toBe(0);
  });

  it('replays an idempotent spend and refuses the key for another request', async () => {
    const account = '/v1/accounts/user-idem';
    await t.http.post(
      `${account}/grants`,
      { credits: 50, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const headers = { 'idempotency-key': 'spend-42' };
    const first = await t.http.post(
      `${account}/spends`,
      { credits: 7, description: 'export' },
      { headers },
    );
    await t.http.post(`${account}/spends`, { credits: 1, description: 'other' });
    const again = await t.http.post(
      `${account}/spends`,
      { credits: 7, description: 'export' },
      { headers },
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const reused = await t.http.post(
      `${account}/spends`,
      { credits: 8, description: 'export' },
      { headers },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect((await t.http.get(`${account}/balance`)).body).toMatchObject({
      balance: 42,
      revision: 2,
    });
  });

  it('does not remember a rejected command under its idempotency key', async () => {
    const account = '/v1/accounts/user-idem-reject';
    const headers = { 'idempotency-key': 'try-1' };
    const refused = await t.http.post(
      `${account}/spends`,
      { credits: 5, description: 'x' },
      { headers },
    );
    expect(refused.status).toBe(402);
    await t.http.post(
      `${account}/grants`,
      { credits: 5, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const accepted = await t.http.post(
      `${account}/spends`,
      { credits: 5, description: 'x' },
      { headers },
    );
    expect(accepted.status).toBe(201);
  });

  it('records an offline purchase once per providerRef', async () => {
    const body = {
      credits: 275,
      amountPaid: 2500,
      currency: 'USD',
      providerRef: 'pi_offline_1',
      packId: 'standard',
    };
    const first = await t.http.post('/v1/accounts/user-buyer/purchases', body, grantKey);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ credits: 275, balance: 275 });
    const again = await t.http.post('/v1/accounts/user-buyer/purchases', body, grantKey);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('holds credits, captures part and releases the rest', async () => {
    const account = '/v1/accounts/user-hold';
    await t.http.post(
      `${account}/grants`,
      { credits: 100, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const hold = await t.http.post(`${account}/reservations`, {
      credits: 40,
      ttlSeconds: 600,
      description: 'render',
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ credits: 40, available: 60, reserved: 40, balance: 100 });
    const capture = await t.http.post(
      `${account}/reservations/${hold.body.reservationId}/capture`,
      { credits: 25 },
    );
    expect(capture.status).toBe(201);
    expect(capture.body).toMatchObject({
      credits: 25,
      released: 15,
      balance: 75,
      available: 75,
      reserved: 0,
    });
    const late = await t.http.post(`${account}/reservations/${hold.body.reservationId}/release`);
    expect(late.status).toBe(409);
  });

  it('serves the OpenAPI document, Swagger UI, health and metrics without a key', async () => {
    const doc = await t.http.get('/docs-json', { key: null });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/accounts/{accountId}/balance',
        '/v1/accounts/{accountId}/spends',
        '/v1/accounts/{accountId}/refunds',
        '/v1/accounts/{accountId}/grants',
        '/v1/accounts/{accountId}/purchases',
        '/v1/accounts/{accountId}/check',
      ]),
    );
    const ui = await t.http.get('/docs', { key: null });
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
    expect((await t.http.get('/health/live', { key: null })).status).toBe(200);
    const ready = await t.http.get('/health/ready', { key: null });
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, eventStore: { status: 'up' } },
    });
    const metrics = await t.http.get('/metrics', { key: null });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('ledger_command_duration_seconds');
  });

  it('echoes or assigns a request id', async () => {
    const mine = await t.http.get('/health/live', {
      key: null,
      headers: { 'x-request-id': 'trace-abc' },
    });
    expect(mine.headers.get('x-request-id')).toBe('trace-abc');
    const assigned = await t.http.get('/health/live', { key: null });
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a problem', async () => {
    const missing = await t.http.get('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('refunds of old spends over HTTP (each account remembers 2 spends)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RECENT_SPENDS_PER_ACCOUNT: '2' } });
  });
  afterAll(() => t.close());

  it('refunds a spend the state forgot, from the stream in PostgreSQL, exactly up to what is left', async () => {
    const account = '/v1/accounts/user-old-spends';
    await t.http.post(
      `${account}/grants`,
      { credits: 100, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const spendIds: string[] = [];
    for (const credits of [10, 11, 12, 13, 14, 15]) {
      const spend = await t.http.post(`${account}/spends`, { credits, description: 'job' });
      spendIds.push(spend.body.spendId);
    }
    const first = await t.http.post(`${account}/refunds`, {
      spendId: spendIds[0],
      credits: 4,
      reason: 'failed',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ credits: 4, balance: 29 });
    const rest = await t.http.post(`${account}/refunds`, {
      spendId: spendIds[0],
      reason: 'failed',
    });
    expect(rest.body).toMatchObject({ credits: 6, balance: 35 });
    const again = await t.http.post(`${account}/refunds`, {
      spendId: spendIds[0],
      reason: 'failed',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'spend_fully_refunded', spendId: spendIds[0] });
    const unknown = await t.http.post(`${account}/refunds`, {
      spendId: 'spend_never',
      reason: 'failed',
    });
    expect(unknown.status).toBe(404);
  });
});
