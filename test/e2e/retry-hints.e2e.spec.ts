import { findFreePort } from '../../src/database/embedded-postgres';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { event, sign, WEBHOOK_SECRET } from '../payments/support/stripe-events';

/** Every 429 and 503 tells the client when to come back (Retry-After, whole seconds). */
describe('Retry-After on 503', () => {
  let t: TestApp;
  beforeAll(async () => {
    // EventStoreDB that is not there: readiness fails and so does every command.
    const closedPort = await findFreePort();
    t = await startTestApp({
      env: {
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${closedPort}?tls=false`,
      },
    });
  });
  afterAll(() => t.close());

  it('readiness', async () => {
    const ready = await t.http.get('/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });

  it('a write and a read while the event store is unreachable', async () => {
    const write = await t.http.post(
      '/v1/accounts/a1/grants',
      { credits: 5, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
    const read = await t.http.get('/v1/accounts/a1/balance');
    for (const response of [write, read]) {
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('unavailable');
      expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    }
  });

  it('payments that are not configured', async () => {
    const response = await t.http.post('/v1/checkout-sessions', {
      accountId: 'a1',
      packId: 'basic',
      uiMode: 'hosted',
      returnUrl: 'https://example.com/r',
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });
});

/** docs/stripe.md: the signature timestamp must be within the tolerance, in the past or the future. */
describe('Stripe signature timestamps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_WEBHOOK_TOLERANCE_SECONDS: '300' },
    });
  });
  afterAll(() => t.close());

  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

  function deliverSignedAt(timestamp: number) {
    // An event type the service acknowledges and ignores: only the signature check matters here.
    const payload = JSON.stringify(
      event('customer.created', { id: 'cus_1', object: 'customer' }),
      null,
      2,
    );
    return t.http.post('/v1/webhooks/stripe', undefined, {
      key: null,
      rawBody: payload,
      headers: { 'stripe-signature': sign(payload, { timestamp }) },
    });
  }

  it('refuses a timestamp an hour in the future', async () => {
    const response = await deliverSignedAt(nowSeconds() + 3600);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'Stripe-Signature', message: expect.stringMatching(/future/) }],
    });
  });

  it('refuses one just past the tolerance in the future', async () => {
    expect((await deliverSignedAt(nowSeconds() + 301)).status).toBe(400);
  });

  it('accepts small clock skew either way, and the tolerance in the past still applies', async () => {
    expect((await deliverSignedAt(nowSeconds() + 60)).status).toBe(200);
    expect((await deliverSignedAt(nowSeconds() + 300)).status).toBe(200);
    expect((await deliverSignedAt(nowSeconds() - 240)).status).toBe(200);
    const stale = await deliverSignedAt(nowSeconds() - 3600);
    expect(stale.status).toBe(400);
    expect(stale.body.errors[0].message).toMatch(/older/);
  });
});
