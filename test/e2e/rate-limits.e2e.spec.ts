import { findFreePort } from '../../src/database/embedded-postgres';
import { startTestApp, TEST_KEYS, type HttpResponse, type TestApp } from '../support/test-app';
import { FakeStripeApi } from '../payments/support/fake-stripe-api';
import { startWithFakeStripe, type StripeTestApp } from '../payments/support/stripe-test-app';
import { FakeRedis } from './fake-redis';

const grantKey = { key: TEST_KEYS.granter };

/** A 429 as PRODUCT.md §6 and API.md want it: rate_limited, Retry-After and the IETF headers. */
function expectRateLimited(response: HttpResponse, limit: number, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ code: 'rate_limited', status: 429 });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds).toBe(true);
  expect(response.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(response.headers.get('ratelimit-remaining')).toBe('0');
  expect(response.headers.get('ratelimit-reset')).toBe(String(retryAfter));
  expect(response.headers.get('ratelimit-policy')).toBe(`${limit};w=${windowSeconds}`);
}

/**
 * Writes per API key (a one-second window). The window starts with the first request in it, so
 * the tests send bursts until one passes the limit instead of timing anything: a burst of 40
 * concurrent writes against a limit of 3 per second exceeds it unless the first 4 of them take more
 * than a second to be counted, and up to 10 bursts are tried (a busy machine, coverage on).
 */
describe('writes per API key', () => {
  const LIMIT = 3;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_WRITES_PER_SECOND_PER_KEY: String(LIMIT) } });
  });
  afterAll(() => t.close());

  async function burstUntilLimited(send: () => Promise<HttpResponse>): Promise<HttpResponse[]> {
    const all: HttpResponse[] = [];
    for (let burst = 0; burst < 10; burst += 1) {
      const responses = await Promise.all(Array.from({ length: 40 }, send));
      all.push(...responses);
      if (responses.some((response) => response.status === 429)) return all;
    }
    return all;
  }

  it('over the limit: 429 rate_limited with Retry-After and RateLimit headers, and nothing written', async () => {
    const account = '/v1/accounts/limited-1';
    await t.http.post(
      `${account}/grants`,
      { credits: 1000, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const responses = await burstUntilLimited(() =>
      t.http.post(`${account}/spends`, { credits: 1, description: 'burst' }),
    );
    const limited = responses.filter((response) => response.status === 429);
    const spent = responses.filter((response) => response.status === 201);
    expect(limited.length).toBeGreaterThan(0);
    expect(spent.length + limited.length).toBe(responses.length);
    expectRateLimited(limited[0], LIMIT, 1);
    // Only the accepted spends were written.
    const balance = await t.http.get(`${account}/balance`);
    expect(balance.body).toMatchObject({ balance: 1000 - spent.length, revision: spent.length });
  });

  it('counts per key: another key writes while one is limited; reads and checks are not counted', async () => {
    const responses = await burstUntilLimited(() =>
      t.http.post('/v1/accounts/limited-3/reservations', { credits: 1 }),
    );
    expect(responses.some((response) => response.status === 429)).toBe(true);
    // Right after: a fresh key's first write cannot be over a limit of 3.
    const other = await t.http.post(
      '/v1/accounts/limited-3/grants',
      { credits: 5, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    expect(other.status).toBe(201);
    const reads = await Promise.all(
      Array.from({ length: 12 }, () => t.http.get('/v1/accounts/limited-3/balance')),
    );
    expect(reads.map((response) => response.status)).toEqual(Array(12).fill(200));
    const checks = await Promise.all(
      Array.from({ length: 12 }, () => t.http.post('/v1/accounts/limited-3/check', { credits: 1 })),
    );
    expect(checks.map((response) => response.status)).toEqual(Array(12).fill(200));
  });
});

/**
 * Checkout sessions per account (a one-minute window, starting with the account's first one): far
 * longer than these tests, so exact counts hold.
 */
describe('checkout sessions per account', () => {
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;
  let t: TestApp;
  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT: '2',
    });
    t = app.t;
  });
  afterAll(() => app?.close());

  const checkout = (accountId: string, key: string = TEST_KEYS.service) =>
    t.http.post(
      '/v1/checkout-sessions',
      { accountId, packId: 'basic', uiMode: 'embedded' },
      { key },
    );

  it('the third in a minute is 429 with Retry-After and RateLimit headers, and Stripe is not called', async () => {
    expect((await checkout('buyer-a')).status).toBe(201);
    expect((await checkout('buyer-a')).status).toBe(201);
    const sessionsBefore = stripeApi.calls('/v1/checkout/sessions').length;
    const third = await checkout('buyer-a');
    expectRateLimited(third, 2, 60);
    expect(stripeApi.calls('/v1/checkout/sessions')).toHaveLength(sessionsBefore);
    // Per account, whichever key asks.
    expectRateLimited(await checkout('buyer-a', TEST_KEYS.admin), 2, 60);
  });

  it("other accounts are not affected, nor the limited account's other writes", async () => {
    expect((await checkout('buyer-b')).status).toBe(201);
    await t.http.post(
      '/v1/accounts/buyer-a/grants',
      { credits: 5, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    expect(
      (
        await t.http.post('/v1/accounts/buyer-a/spends', {
          credits: 1,
          description: 'still spending',
        })
      ).status,
    ).toBe(201);
  });

  it("a caller without the scope (or the key) does not use up the account's allowance", async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await checkout('buyer-c', TEST_KEYS.readOnly)).status).toBe(403);
      expect((await checkout('buyer-c', 'not-a-key')).status).toBe(401);
    }
    expect((await checkout('buyer-c')).status).toBe(201);
    expect((await checkout('buyer-c')).status).toBe(201);
  });
});

/** Failed authentications per client address (a one-minute window; the tests all come from 127.0.0.1). */
describe('failed authentications per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE_PER_ADDRESS: '3' } });
  });
  afterAll(() => t.close());

  it('past the limit, failures get 429 instead of 401; a valid key and public routes still work', async () => {
    for (const key of ['guess-1', 'guess-2', null]) {
      expect((await t.http.get('/v1/accounts/a1/balance', { key })).status).toBe(401);
    }
    expectRateLimited(await t.http.get('/v1/accounts/a1/balance', { key: 'guess-4' }), 3, 60);
    expectRateLimited(
      await t.http.post('/v1/accounts/a1/spends', { credits: 1, description: 'x' }, { key: null }),
      3,
      60,
    );
    expect((await t.http.get('/v1/accounts/a1/balance')).status).toBe(200);
    expect((await t.http.get('/health/live', { key: null })).status).toBe(200);
  });
});

describe('a shared store (RATE_LIMIT_REDIS_URL)', () => {
  it('replicas count checkouts together', async () => {
    const redis = new FakeRedis();
    const stripeApi = new FakeStripeApi();
    const env = {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_API_URL: await stripeApi.start(),
      RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT: '2',
      RATE_LIMIT_REDIS_URL: await redis.start(),
    };
    const replicas = [await startTestApp({ env }), await startTestApp({ env })];
    try {
      const body = { accountId: 'shared-buyer', packId: 'basic', uiMode: 'embedded' };
      expect((await replicas[0].http.post('/v1/checkout-sessions', body)).status).toBe(201);
      expect((await replicas[1].http.post('/v1/checkout-sessions', body)).status).toBe(201);
      // Each replica alone has seen fewer than 2; together they have seen 2.
      expectRateLimited(await replicas[0].http.post('/v1/checkout-sessions', body), 2, 60);
      expectRateLimited(await replicas[1].http.post('/v1/checkout-sessions', body), 2, 60);
      expect(redis.commands.filter(([name]) => name === 'EVAL').length).toBeGreaterThanOrEqual(4);
    } finally {
      for (const replica of replicas) await replica.close();
      await stripeApi.stop();
      await redis.stop();
    }
  });

  it('a Redis that cannot be reached lets requests through instead of failing them', async () => {
    const closedPort = await findFreePort();
    const t = await startTestApp({
      env: {
        RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        RATE_LIMIT_WRITES_PER_SECOND_PER_KEY: '1',
      },
    });
    try {
      const grant = await t.http.post(
        '/v1/accounts/no-redis/grants',
        { credits: 5, category: 'paid', reason: 'adjustment' },
        grantKey,
      );
      expect(grant.status).toBe(201);
      const spends = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.http.post('/v1/accounts/no-redis/spends', { credits: 1, description: 'x' }),
        ),
      );
      expect(spends.map((response) => response.status)).toEqual(Array(5).fill(201));
    } finally {
      await t.close();
    }
  });
});
