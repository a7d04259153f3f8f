import { request as httpRequest } from 'node:http';
import { startTestApp, TEST_KEYS, type HttpResponse, type TestApp } from '../support/test-app';

/**
 * Authentication runs before the content type is checked and the body is read: a caller without a
 * valid key gets 401 with WWW-Authenticate, whatever it sent, and learns nothing about how the
 * route would have read its request.
 */
describe('authentication before parsing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  function expectUnauthorized(response: HttpResponse): void {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(response.body).toMatchObject({ code: 'unauthorized', status: 401 });
  }

  it.each([
    ['no key', null],
    ['an unknown key', 'not-a-key'],
  ])('with %s: malformed JSON is 401, not 400', async (_name, key) => {
    expectUnauthorized(
      await t.http.post('/v1/accounts/a1/spends', undefined, { key, rawBody: '{"credits": 5,' }),
    );
  });

  it('with no key: a text/plain body is 401, not 415', async () => {
    expectUnauthorized(
      await t.http.post('/v1/accounts/a1/spends', undefined, {
        key: null,
        rawBody: 'credits=1',
        headers: { 'content-type': 'text/plain' },
      }),
    );
  });

  it('with no key: a body over the limit is 401, not 413', async () => {
    expectUnauthorized(
      await t.http.post(
        '/v1/accounts/a1/spends',
        { credits: 1, description: 'x'.repeat(t.config.bodyLimitBytes + 10) },
        { key: null },
      ),
    );
  });

  it('with no key: an invalid body and an invalid account id are 401, not 400', async () => {
    expectUnauthorized(
      await t.http.post('/v1/accounts/has%20space/spends', { credits: -1 }, { key: null }),
    );
  });

  it('an unknown route: 401 without a key (default deny), 404 with one, whatever the body', async () => {
    expectUnauthorized(await t.http.post('/v1/unknown', undefined, { key: null, rawBody: '{bad' }));
    const response = await t.http.post('/v1/unknown', undefined, { rawBody: '{bad' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'not_found' });
  });

  it('a key in another scheme is 401', async () => {
    expectUnauthorized(
      await t.http.get('/v1/accounts/a1/balance', {
        key: null,
        headers: { authorization: `Basic ${TEST_KEYS.service}` },
      }),
    );
  });

  it('with a valid key: the body is then checked as before (400, 415, 413)', async () => {
    expect(
      (await t.http.post('/v1/accounts/a1/spends', undefined, { rawBody: '{"credits": 5,' }))
        .status,
    ).toBe(400);
    expect(
      (
        await t.http.post('/v1/accounts/a1/spends', undefined, {
          rawBody: 'credits=1',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await t.http.post('/v1/accounts/a1/spends', {
          credits: 1,
          description: 'x'.repeat(t.config.bodyLimitBytes + 10),
        })
      ).status,
    ).toBe(413);
  });

  it('scopes still apply: 403 for a key without the scope', async () => {
    const response = await t.http.post(
      '/v1/accounts/a1/spends',
      { credits: 1, description: 'x' },
      { key: TEST_KEYS.readOnly },
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it.each([
    ['/health/live', 200],
    ['/health/ready', 200],
    ['/metrics', 200],
    ['/docs-json', 200],
    ['/docs', 200],
  ])('%s is public', async (path, status) => {
    expect((await t.http.get(path, { key: null })).status).toBe(status);
  });

  it('HEAD of a public route is public too', async () => {
    expect((await t.http.send('HEAD', '/health/live', undefined, { key: null })).status).toBe(200);
    expect(
      (await t.http.send('HEAD', '/v1/accounts/a1/balance', undefined, { key: null })).status,
    ).toBe(401);
  });

  it('the Stripe webhook is public (its signature authenticates it): 503 here, where it is not configured, not 401', async () => {
    const response = await t.http.post(
      '/v1/webhooks/stripe',
      { id: 'evt_1' },
      { key: null, headers: { 'stripe-signature': 't=1,v1=00' } },
    );
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('unavailable');
  });

  it('never echoes the key it was given', async () => {
    const response = await t.http.get('/v1/accounts/a1/balance', { key: 'wrong-secret-value-123' });
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain('wrong-secret-value-123');
  });
});

describe('Idempotency-Key sent twice', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.http.post(
      '/v1/accounts/twice/grants',
      { credits: 10, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
  });
  afterAll(() => t.close());

  /** fetch joins repeated headers into one; Node's client sends an array as separate header lines. */
  function spendWithKeys(keys: string[]): Promise<{ status: number; body: any }> {
    const body = JSON.stringify({ credits: 1, description: 'twice' });
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${t.baseUrl}/v1/accounts/twice/spends`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            authorization: `Bearer ${TEST_KEYS.service}`,
            'idempotency-key': keys,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  it('is 400 validation_failed naming Idempotency-Key, and writes nothing', async () => {
    const response = await spendWithKeys(['job-1', 'job-2']);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'Idempotency-Key' })],
    });
    expect((await t.http.get('/v1/accounts/twice/balance')).body).toMatchObject({
      balance: 10,
      revision: 0,
    });
  });

  it('the same key twice is refused too; once is fine', async () => {
    expect((await spendWithKeys(['job-3', 'job-3'])).status).toBe(400);
    expect((await spendWithKeys(['job-3'])).status).toBe(201);
  });
});
