import { Webhook } from 'standardwebhooks';
import { SystemClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { Receiver, eventually } from './support/receiver';

const admin = { key: TEST_KEYS.admin };
const granter = { key: TEST_KEYS.granter };
const ALL_TYPES = [
  'credits.purchased',
  'credits.granted',
  'credits.refunded',
  'credits.expired',
  'purchase.reversed',
  'balance.low',
  'balance.depleted',
  'credits.expiring',
];

/**
 * Outbound webhooks end to end (PRODUCT.md §5, API.md "Notifications"): real receivers on
 * 127.0.0.1, the real PostgreSQL, signatures verified with the `standardwebhooks` package.
 */
describe('webhooks', () => {
  let database: TestDatabase;
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      database,
      clock: new SystemClock(),
      env: {
        WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2',
        NOTIFICATIONS_POLL_MS: '20',
        PROJECTION_IDLE_POLL_MS: '20',
        WEBHOOK_TIMEOUT_MS: '2000',
        WORKER_INTERVAL_MS: '3600000',
      },
    });
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
    // One endpoint at a time: the previous test's endpoints are gone.
    const { body } = await t.http.get('/v1/webhook-endpoints', admin);
    for (const endpoint of body.data)
      await t.http.send('DELETE', `/v1/webhook-endpoints/${endpoint.id}`, undefined, admin);
  });
  afterEach(() => receiver.close());
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const subscribe = async (events = ALL_TYPES, url = receiver.url) => {
    const created = await t.http.post('/v1/webhook-endpoints', { url, events }, admin);
    expect(created.status).toBe(201);
    return created.body as { id: string; url: string; events: string[]; secret: string };
  };
  const grant = (account: string, credits: number, extra: Record<string, unknown> = {}) =>
    t.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment', ...extra },
      granter,
    );
  const spend = (account: string, credits: number) =>
    t.http.post(`/v1/accounts/${account}/spends`, { credits, description: 'work' });

  it('creates an endpoint with a whsec_ secret shown once, lists it without, deletes it', async () => {
    const endpoint = await subscribe(['credits.granted']);
    expect(endpoint).toMatchObject({ url: receiver.url, events: ['credits.granted'] });
    expect(endpoint.id).toMatch(/^ep_/);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const list = await t.http.get('/v1/webhook-endpoints', admin);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: endpoint.id, url: receiver.url, events: ['credits.granted'] }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret);
    const deleted = await t.http.send(
      'DELETE',
      `/v1/webhook-endpoints/${endpoint.id}`,
      undefined,
      admin,
    );
    expect(deleted.status).toBe(204);
    const again = await t.http.send(
      'DELETE',
      `/v1/webhook-endpoints/${endpoint.id}`,
      undefined,
      admin,
    );
    expect(again.status).toBe(404);
  });

  it('needs the admin scope and a valid body', async () => {
    const forbidden = await t.http.post(
      '/v1/webhook-endpoints',
      { url: receiver.url, events: ['balance.low'] },
      granter,
    );
    expect(forbidden.status).toBe(403);
    const bad = await t.http.post(
      '/v1/webhook-endpoints',
      { url: 42, events: ['no.such.type'] },
      admin,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'events',
      'url',
    ]);
    const notHttp = await t.http.post(
      '/v1/webhook-endpoints',
      { url: 'ftp://example.com/x', events: ['balance.low'] },
      admin,
    );
    expect(notHttp.status).toBe(400);
    expect(notHttp.body.code).toBe('url_not_allowed');
  });

  it('delivers ledger facts signed by Standard Webhooks, verified by the standardwebhooks package', async () => {
    const endpoint = await subscribe();
    await grant('wh-facts', 500);
    await eventually(() => receiver.ofType('credits.granted').length > 0, 15_000, 'grant');
    const [delivery] = receiver.ofType('credits.granted');
    const verified = new Webhook(endpoint.secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    });
    expect(verified).toEqual(delivery.json);
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(delivery.json).toMatchObject({
      type: 'credits.granted',
      timestamp: expect.any(String),
      data: {
        accountId: 'wh-facts',
        credits: 500,
        category: 'paid',
        reason: 'adjustment',
        balance: 500,
        available: 500,
      },
    });
    // A tampered body does not verify.
    expect(() =>
      new Webhook(endpoint.secret).verify(delivery.body.replace('500', '501'), {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      }),
    ).toThrow();
  });

  it('sends balance.low once per threshold crossed, balance.depleted at 0, and re-arms on recovery', async () => {
    await subscribe(['balance.low', 'balance.depleted']);
    await grant('wh-alerts', 1000);
    // 1000 → 150: crosses 20 % (200). 150 → 90: crosses 100 and 10 % (100). → 40: 5 % (50). → 0.
    expect((await spend('wh-alerts', 850)).status).toBe(201);
    expect((await spend('wh-alerts', 60)).status).toBe(201);
    expect((await spend('wh-alerts', 50)).status).toBe(201);
    expect((await spend('wh-alerts', 40)).status).toBe(201);
    await eventually(() => receiver.ofType('balance.depleted').length === 1, 15_000, 'depleted');
    await eventually(() => receiver.ofType('balance.low').length === 4, 15_000, 'low');
    const lows = receiver.ofType('balance.low').map((entry) => ({
      threshold: entry.json.data.threshold,
      available: entry.json.data.available,
    }));
    expect(lows).toEqual(
      expect.arrayContaining([
        { threshold: '20%', available: 150 },
        { threshold: 100, available: 90 },
        { threshold: '10%', available: 90 },
        { threshold: '5%', available: 40 },
      ]),
    );
    expect(receiver.ofType('balance.depleted')[0].json.data).toMatchObject({
      accountId: 'wh-alerts',
      threshold: 0,
      available: 0,
    });
    // Recovering above 100 (a top-up of 150: its 20 % line is 30) re-arms 100 only.
    await grant('wh-alerts', 150);
    expect((await spend('wh-alerts', 60)).status).toBe(201);
    await eventually(() => receiver.ofType('balance.low').length === 5, 15_000, 'low again');
    expect(receiver.ofType('balance.low')[4].json.data).toMatchObject({
      threshold: 100,
      available: 90,
    });
    const balance = await t.http.get('/v1/accounts/wh-alerts/balance');
    expect(balance.body).toMatchObject({ available: 90, lowBalance: true });
  });

  it('retries a receiver that answers 500 twice: the 3rd attempt delivers, same webhook-id', async () => {
    const endpoint = await subscribe(['credits.granted']);
    receiver.answer = (_, index) => (index < 2 ? 500 : 200);
    await grant('wh-retry', 10);
    await eventually(() => receiver.received.length === 3, 15_000, 'three attempts');
    const ids = new Set(receiver.received.map((entry) => entry.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const deliveries = await eventually(async () => {
      const { body } = await t.http.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, admin);
      return body.data[0]?.status === 'succeeded' ? body.data : null;
    });
    expect(deliveries).toEqual([
      expect.objectContaining({
        eventType: 'credits.granted',
        status: 'succeeded',
        attempts: 3,
        lastStatusCode: 200,
        nextAttemptAt: null,
      }),
    ]);
    // Retried by hand: sent again, with the same webhook-id.
    const retry = await t.http.post(
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${deliveries[0].id}/retry`,
      undefined,
      admin,
    );
    expect(retry.status).toBe(202);
    await eventually(() => receiver.received.length === 4, 15_000, 'retry by hand');
    expect(receiver.received[3].headers['webhook-id']).toBe(
      receiver.received[0].headers['webhook-id'],
    );
  });

  it('marks a delivery failed when the schedule is used up', async () => {
    const endpoint = await subscribe(['credits.granted']);
    receiver.answer = () => 503;
    await grant('wh-fail', 10);
    const [failed] = await eventually(async () => {
      const { body } = await t.http.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, admin);
      return body.data[0]?.status === 'failed' ? body.data : null;
    });
    // WEBHOOK_RETRY_SCHEDULE has 3 waits: 4 attempts.
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, lastStatusCode: 503 });
    expect(receiver.received).toHaveLength(4);
  });

  it('keeps one hanging endpoint from delaying another', async () => {
    const slow = await Receiver.start();
    try {
      slow.answer = () => 'hang';
      await subscribe(['credits.granted'], slow.url);
      await subscribe(['credits.granted']);
      const started = Date.now();
      for (let i = 0; i < 6; i += 1) await grant(`wh-slow-${i}`, 10);
      await eventually(() => receiver.received.length === 6, 15_000, 'fast receiver');
      // The fast receiver had everything long before the slow one's first attempt timed out (2 s).
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(slow.received.length).toBeLessThanOrEqual(4);
    } finally {
      await slow.close();
    }
  });

  it('sets alert settings per account: they drive the alerts and lowBalance of balance answers', async () => {
    await subscribe(['balance.low']);
    const put = (body: Record<string, unknown>) =>
      t.http.send<any>('PUT', '/v1/accounts/wh-custom/alerts', body, granter);
    const bad = await put({ lowBalance: [-1], percentOfLastTopUp: [0, 101], expiringDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'expiringDays',
      'lowBalance',
      'percentOfLastTopUp',
    ]);
    const set = await put({ lowBalance: [500], percentOfLastTopUp: [] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      accountId: 'wh-custom',
      lowBalance: [500],
      percentOfLastTopUp: [],
      expiringDays: 7,
    });
    await grant('wh-custom', 1000);
    expect((await t.http.get('/v1/accounts/wh-custom/balance')).body.lowBalance).toBe(false);
    await spend('wh-custom', 600);
    expect((await t.http.get('/v1/accounts/wh-custom/balance')).body).toMatchObject({
      available: 400,
      lowBalance: true,
    });
    await eventually(() => receiver.ofType('balance.low').length === 1, 15_000, 'custom line');
    expect(receiver.ofType('balance.low')[0].json.data).toMatchObject({
      accountId: 'wh-custom',
      threshold: 500,
      kind: 'absolute',
    });
    // Back to the defaults (LOW_BALANCE_THRESHOLD 100): 400 is no longer low.
    expect((await put({})).body.lowBalance).toEqual([100]);
    expect((await t.http.get('/v1/accounts/wh-custom/balance')).body.lowBalance).toBe(false);
    const forbidden = await t.http.send('PUT', '/v1/accounts/wh-custom/alerts', {}, {});
    expect(forbidden.status).toBe(403);
  });

  it('sends credits.expiring before a block with credits expires', async () => {
    await subscribe(['credits.expiring']);
    const expiresAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await grant('wh-expiring', 30, { expiresAt });
    await eventually(() => receiver.ofType('credits.expiring').length === 1, 15_000, 'expiring');
    expect(receiver.ofType('credits.expiring')[0].json.data).toMatchObject({
      accountId: 'wh-expiring',
      credits: 30,
      expiresAt,
    });
  });

  it('lists deliveries only of an existing endpoint, and retries only its own', async () => {
    const missing = await t.http.get('/v1/webhook-endpoints/ep_nope/deliveries', admin);
    expect(missing.status).toBe(404);
    const endpoint = await subscribe(['credits.granted']);
    const unknown = await t.http.post(
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/dlv_nope/retry`,
      undefined,
      admin,
    );
    expect(unknown.status).toBe(404);
    const badLimit = await t.http.get(
      `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=0`,
      admin,
    );
    expect(badLimit.status).toBe(400);
  });
});

describe('webhook endpoint URLs (SSRF)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      database,
      env: {
        WORKER_INTERVAL_MS: '3600000',
        NOTIFICATIONS_POLL_MS: '20',
        PROJECTION_IDLE_POLL_MS: '20',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('checks the address again when delivering (a name re-pointed at a private address is refused)', async () => {
    const receiver = await Receiver.start();
    try {
      // As if the names had resolved to public addresses at creation and point inside now.
      const port = new URL(receiver.url).port;
      for (const [id, url] of [
        ['ep_rebound_name', `http://localhost:${port}/hooks`],
        ['ep_rebound_ip', `http://127.0.0.1:${port}/hooks`],
      ])
        await database.pool.query(
          `INSERT INTO webhook_endpoints (id, url, events, secret, created_at)
           VALUES ($1, $2, '{credits.granted}', 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', now())`,
          [id, url],
        );
      await t.http.post(
        '/v1/accounts/ssrf-1/grants',
        { credits: 5, category: 'paid', reason: 'adjustment' },
        granter,
      );
      for (const id of ['ep_rebound_name', 'ep_rebound_ip']) {
        const [delivery] = await eventually(async () => {
          const { body } = await t.http.get(`/v1/webhook-endpoints/${id}/deliveries`, admin);
          return body.data[0]?.attempts > 0 ? body.data : null;
        });
        expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
        expect(delivery.lastError).toMatch(/refused: .* loopback, private, link-local or metadata/);
      }
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://172.16.5.4/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
  ])('refuses %s with 400 url_not_allowed', async (url) => {
    const refused = await t.http.post(
      '/v1/webhook-endpoints',
      { url, events: ['balance.low'] },
      admin,
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'url_not_allowed', errors: [{ field: 'url' }] });
  });
});
