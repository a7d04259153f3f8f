import { ManualClock } from '../../src/shared/clock';
import { FakeStripeApi } from '../payments/support/fake-stripe-api';
import { InMemoryRateCards, TEST_OPERATIONS, useRateCards } from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const WIDGET_ORIGIN = 'https://widgets.example.com';
const ENV = {
  WORKER_INTERVAL_MS: '3600000',
  CUSTOMER_TOKEN_SECRET: 'e2e-customer-token-secret-0123456789abcdef',
  WIDGET_ALLOWED_ORIGINS: `${WIDGET_ORIGIN},http://localhost:5173`,
  STRIPE_SECRET_KEY: 'sk_test_credits_ledger_fake',
};
const ACCOUNT = 'user:ct-1';
const OTHER = 'user:ct-2';

/**
 * Customer tokens over HTTP on PostgreSQL (PRODUCT.md §6, API.md "Customer tokens"): minted by a
 * backend with a spend or admin key, they open exactly the routes a browser widget needs, for their
 * own account, and nothing else; CORS lets the configured widget origins call them.
 */
describe('customer tokens', () => {
  let database: TestDatabase;
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const stripeApi = new FakeStripeApi();
  let token: string;

  beforeAll(async () => {
    const stripeUrl = await stripeApi.start();
    database = await createTestDatabase();
    t = await startTestApp({ clock, database, env: { ...ENV, STRIPE_API_URL: stripeUrl } });
    useRateCards(t.app, new InMemoryRateCards(TEST_OPERATIONS));
    await t.http.post(
      `/v1/accounts/${ACCOUNT}/grants`,
      { credits: 500, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
    token = (await mint(ACCOUNT)).body.token;
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
    await stripeApi.stop();
  });

  const mint = (account: string, body?: unknown, key: string = TEST_KEYS.service) =>
    t.http.post(`/v1/accounts/${account}/customer-tokens`, body, { key });

  describe('minting', () => {
    it('answers 201 { token, expiresAt } with the default lifetime of 900 s', async () => {
      const response = await mint(ACCOUNT);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        token: expect.stringMatching(/^ct1\./),
        expiresAt: '2026-03-01T12:15:00.000Z',
      });
    });

    it('takes ttlSeconds, at most a day', async () => {
      const short = await mint(ACCOUNT, { ttlSeconds: 60 });
      expect(short.status).toBe(201);
      expect(short.body.expiresAt).toBe('2026-03-01T12:01:00.000Z');
      const tooLong = await mint(ACCOUNT, { ttlSeconds: 86_401 });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.code).toBe('validation_failed');
      expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'ttlSeconds' })]);
    });

    it('needs the spend or admin scope', async () => {
      expect((await mint(ACCOUNT, undefined, TEST_KEYS.admin)).status).toBe(201);
      expect((await mint(ACCOUNT, undefined, TEST_KEYS.readOnly)).status).toBe(403);
      expect((await mint(ACCOUNT, undefined, TEST_KEYS.granter)).status).toBe(403);
      expect((await mint(ACCOUNT, undefined, 'no-such-key')).status).toBe(401);
    });
  });

  describe('what a token may do, for its own account', () => {
    const as = () => ({ key: token });

    it('reads the balance', async () => {
      const response = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, as());
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accountId: ACCOUNT, balance: 500 });
    });

    it('gets a quote', async () => {
      const response = await t.http.post(
        `/v1/accounts/${ACCOUNT}/quotes`,
        { operation: 'stem-separation', quantity: 1 },
        as(),
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ sufficient: true, available: 500 });
    });

    it('reads the history', async () => {
      const response = await t.http.get(`/v1/accounts/${ACCOUNT}/transactions?limit=5`, as());
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual(expect.any(Array));
    });

    it('lists the credit packs (active only: include=inactive still needs admin)', async () => {
      const response = await t.http.get('/v1/credit-packs', as());
      expect(response.status).toBe(200);
      expect(response.body.data.map((pack: { packId: string }) => pack.packId)).toEqual([
        'basic',
        'standard',
        'pro',
      ]);
      expect((await t.http.get('/v1/credit-packs?include=inactive', as())).status).toBe(403);
    });

    it('creates a checkout session for its account, never for another', async () => {
      const own = await t.http.post(
        '/v1/checkout-sessions',
        {
          accountId: ACCOUNT,
          packId: 'standard',
          uiMode: 'embedded',
          returnUrl: 'https://x.test/r',
        },
        as(),
      );
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({
        sessionId: expect.any(String),
        clientSecret: expect.any(String),
      });
      const other = await t.http.post(
        '/v1/checkout-sessions',
        { accountId: OTHER, packId: 'standard', uiMode: 'embedded', returnUrl: 'https://x.test/r' },
        as(),
      );
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({
        code: 'forbidden',
        detail: expect.stringMatching(/another account/),
      });
      const none = await t.http.post('/v1/checkout-sessions', { packId: 'standard' }, as());
      expect(none.status).toBe(403);
    });

    it('reads and sets its auto top-up (the settings widget), and buys with saveForAutoTopUp', async () => {
      const before = await t.http.get<any>(`/v1/accounts/${ACCOUNT}/auto-top-up`, as());
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        accountId: ACCOUNT,
        enabled: false,
        threshold: 100,
        packId: 'standard',
        consecutiveFailures: 0,
        hasPaymentMethod: false,
      });
      const path = `/v1/accounts/${ACCOUNT}/auto-top-up`;
      const on = await t.http.send<any>(
        'PUT',
        path,
        { enabled: true, threshold: 50, packId: 'basic' },
        as(),
      );
      expect(on.status).toBe(409);
      expect(on.body.code).toBe('no_payment_method');
      const off = await t.http.send<any>(
        'PUT',
        path,
        { enabled: false, threshold: 50, packId: 'basic' },
        as(),
      );
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ enabled: false, threshold: 50, packId: 'basic' });
      expect((await t.http.get<any>(path, as())).body).toMatchObject({
        threshold: 50,
        packId: 'basic',
        hasPaymentMethod: false,
      });

      const checkout = await t.http.post(
        '/v1/checkout-sessions',
        {
          accountId: ACCOUNT,
          packId: 'basic',
          uiMode: 'embedded',
          returnUrl: 'https://x.test/r',
          saveForAutoTopUp: true,
        },
        as(),
      );
      expect(checkout.status).toBe(201);
      const [sent] = stripeApi.calls('/v1/checkout/sessions').slice(-1);
      expect(sent.form).toMatchObject({
        'payment_intent_data[setup_future_usage]': 'off_session',
      });
    });
  });

  it('another account: 403 forbidden on every route it may use', async () => {
    const key = { key: token };
    const answers = await Promise.all([
      t.http.get(`/v1/accounts/${OTHER}/balance`, key),
      t.http.get(`/v1/accounts/${OTHER}/balance/stream`, key),
      t.http.get(`/v1/accounts/${OTHER}/transactions`, key),
      t.http.post(`/v1/accounts/${OTHER}/quotes`, { operation: 'stem-separation' }, key),
      t.http.get(`/v1/accounts/${OTHER}/auto-top-up`, key),
      t.http.send(
        'PUT',
        `/v1/accounts/${OTHER}/auto-top-up`,
        { enabled: false, threshold: 10, packId: 'basic' },
        key,
      ),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('forbidden');
    }
  });

  it.each([
    ['POST', `/v1/accounts/${ACCOUNT}/check`, { credits: 1 }],
    ['POST', `/v1/accounts/${ACCOUNT}/spends`, { credits: 1, description: 'x' }],
    ['POST', `/v1/accounts/${ACCOUNT}/refunds`, { spendId: 'spend_x', reason: 'x' }],
    [
      'POST',
      `/v1/accounts/${ACCOUNT}/grants`,
      { credits: 1, category: 'paid', reason: 'adjustment' },
    ],
    [
      'POST',
      `/v1/accounts/${ACCOUNT}/purchases`,
      { credits: 1, amountPaid: 1, currency: 'USD', providerRef: 'x' },
    ],
    ['POST', `/v1/accounts/${ACCOUNT}/reservations`, { credits: 1 }],
    ['POST', `/v1/accounts/${ACCOUNT}/reservations/res_x/capture`, {}],
    ['POST', `/v1/accounts/${ACCOUNT}/reservations/res_x/release`, undefined],
    ['GET', `/v1/accounts/${ACCOUNT}/events`, undefined],
    ['GET', `/v1/accounts/${ACCOUNT}/checkout-sessions`, undefined],
    ['POST', `/v1/accounts/${ACCOUNT}/customer-tokens`, {}],
    ['GET', '/v1/rate-card', undefined],
    ['PUT', '/v1/rate-card', { operations: [] }],
    ['POST', '/v1/credit-packs', { packId: 'x' }],
    ['PUT', '/v1/credit-packs/basic', { name: 'x' }],
    ['DELETE', '/v1/credit-packs/basic', undefined],
    ['GET', '/v1/credit-packs/basic/history', undefined],
  ])('%s %s: 403 for a customer token', async (method, path, body) => {
    const response = await t.http.send<any>(method, path, body, { key: token });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
  });

  describe('refused tokens: 401', () => {
    it('an expired token', async () => {
      const shortLived = (await mint(ACCOUNT, { ttlSeconds: 60 })).body.token as string;
      expect(
        (await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, { key: shortLived })).status,
      ).toBe(200);
      clock.advance(60_000);
      try {
        const response = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, { key: shortLived });
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({
          code: 'unauthorized',
          detail: expect.stringMatching(/expired/),
        });
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      } finally {
        clock.advance(-60_000);
      }
    });

    it('a tampered token: another account, a later expiry, a changed signature', async () => {
      const [prefix, account, expiry, mac] = token.split('.');
      const tampered = [
        [prefix, Buffer.from(OTHER).toString('base64url'), expiry, mac],
        [prefix, account, String(Number(expiry) + 3600), mac],
        [prefix, account, expiry, `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'AB' : 'AA'}`],
        [prefix, account, expiry],
      ].map((parts) => parts.join('.'));
      for (const forged of tampered) {
        const response = await t.http.get(`/v1/accounts/${OTHER}/balance`, { key: forged });
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('unauthorized');
      }
    });

    it('a token signed with another secret (the secret was rotated)', async () => {
      const rotated = await startTestApp({
        clock,
        database,
        env: { ...ENV, CUSTOMER_TOKEN_SECRET: 'another-secret-after-rotation-0123456789' },
      });
      try {
        const response = await rotated.http.get(`/v1/accounts/${ACCOUNT}/balance`, { key: token });
        expect(response.status).toBe(401);
      } finally {
        await rotated.close();
      }
    });

    it('an API key is never taken from ?token=', async () => {
      const response = await t.http.get(
        `/v1/accounts/${ACCOUNT}/balance/stream?token=${TEST_KEYS.service}`,
        { key: null },
      );
      expect(response.status).toBe(401);
    });
  });

  describe('CORS for the widget origins (WIDGET_ALLOWED_ORIGINS)', () => {
    const preflight = (origin: string) =>
      fetch(`${t.baseUrl}/v1/accounts/${ACCOUNT}/balance`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });

    it('a preflight from an allowed origin is answered, before authentication', async () => {
      const response = await preflight(WIDGET_ORIGIN);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/GET/);
    });

    it('a preflight from another origin gets no CORS headers (the browser then refuses)', async () => {
      const response = await preflight('https://evil.example.org');
      // Without Access-Control-Allow-Origin the browser refuses, whatever else the answer says.
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('an actual request from an allowed origin carries the header, another origin not', async () => {
      const allowed = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, {
        key: token,
        headers: { origin: WIDGET_ORIGIN },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
      const other = await t.http.get(`/v1/accounts/${ACCOUNT}/balance`, {
        key: token,
        headers: { origin: 'https://evil.example.org' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('the demo route (DEMO_TOKENS, development only)', () => {
    it('does not exist unless enabled', async () => {
      const response = await t.http.post(`/demo/accounts/${ACCOUNT}/customer-token`);
      expect(response.status).toBe(404);
    });

    it('when enabled, mints a token for the demo shell without an API key, outside the OpenAPI document', async () => {
      const demo = await startTestApp({ clock, database, env: { ...ENV, DEMO_TOKENS: 'true' } });
      try {
        const minted = await demo.http.post(`/demo/accounts/${ACCOUNT}/customer-token`, undefined, {
          key: null,
        });
        expect(minted.status).toBe(201);
        expect(minted.body).toEqual({
          accountId: ACCOUNT,
          token: expect.stringMatching(/^ct1\./),
          expiresAt: '2026-03-01T12:15:00.000Z',
        });
        const balance = await demo.http.get(`/v1/accounts/${ACCOUNT}/balance`, {
          key: minted.body.token,
        });
        expect(balance.status).toBe(200);
        const docs = await demo.http.get('/docs-json', { key: null });
        expect(Object.keys(docs.body.paths).filter((path) => path.startsWith('/demo'))).toEqual([]);
      } finally {
        await demo.close();
      }
    });
  });
});
