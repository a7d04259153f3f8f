import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

describe('API keys and scopes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('401 without a key, with a wrong key, or with a malformed header', async () => {
    for (const options of [
      { key: null },
      { key: 'not-a-key' },
      { key: null, headers: { authorization: 'Basic abc' } },
    ]) {
      const response = await t.http.get('/v1/accounts/a1/balance', options);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'unauthorized', status: 401 });
      expect(JSON.stringify(response.body)).not.toContain(TEST_KEYS.service);
    }
  });

  it('403 when the key lacks the scope', async () => {
    const spend = await t.http.post(
      '/v1/accounts/a1/spends',
      { credits: 1, description: 'x' },
      { key: TEST_KEYS.readOnly },
    );
    expect(spend.status).toBe(403);
    expect(spend.body.code).toBe('forbidden');
    const grant = await t.http.post(
      '/v1/accounts/a1/grants',
      { credits: 1, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.service },
    );
    expect(grant.status).toBe(403);
  });

  it('admin implies every scope', async () => {
    const grant = await t.http.post(
      '/v1/accounts/a2/grants',
      { credits: 1, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.admin },
    );
    expect(grant.status).toBe(201);
    const spend = await t.http.post(
      '/v1/accounts/a2/spends',
      { credits: 1, description: 'x' },
      { key: TEST_KEYS.admin },
    );
    expect(spend.status).toBe(201);
  });

  it('checks the key before validating the body', async () => {
    const response = await t.http.post('/v1/accounts/a1/spends', { credits: -1 }, { key: null });
    expect(response.status).toBe(401);
  });
});

describe('open mode (no keys, not production)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_API_KEYS: '' } });
  });
  afterAll(() => t.close());

  it('serves without a key', async () => {
    const response = await t.http.get('/v1/accounts/a1/balance', { key: null });
    expect(response.status).toBe(200);
  });
});

describe('roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'projector' } });
  });
  afterAll(() => t.close());

  it('a projector process serves health and metrics but not the API', async () => {
    expect((await t.http.get('/health/live', { key: null })).status).toBe(200);
    expect((await t.http.get('/metrics', { key: null })).status).toBe(200);
    const api = await t.http.get('/v1/accounts/a1/balance');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('not_found');
  });
});
