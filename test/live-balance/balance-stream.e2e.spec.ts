import { ManualClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { SseClient } from './sse-client';

const ENV = {
  WORKER_INTERVAL_MS: '3600000',
  CUSTOMER_TOKEN_SECRET: 'e2e-live-balance-secret-0123456789abcdef',
  BALANCE_STREAM_HEARTBEAT_SECONDS: '1',
  BALANCE_STREAM_POLL_MS: '50',
  BALANCE_STREAM_MAX_CONNECTIONS: '3',
  WIDGET_ALLOWED_ORIGINS: 'https://widgets.example.com',
};
/** A change must reach an open stream within this (the log is polled every 50 ms here). */
const DELIVERY_MS = 2_000;

/**
 * The live balance stream over real HTTP on PostgreSQL (PRODUCT.md §5 "Live balance", API.md
 * "Notifications"): `balance` events on connect and after every change, heartbeats, customer
 * tokens in the query string, a cap on connections, and a feed that depends on no projector.
 */
describe('GET /v1/accounts/{accountId}/balance/stream', () => {
  let database: TestDatabase;
  /** An api process (no projector in it) and a projector process, on one database. */
  let api: TestApp;
  let projector: TestApp | null;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const streams: SseClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ clock, database, env: { ...ENV, ROLE: 'api' } });
    projector = await startTestApp({ clock, database, env: { ...ENV, ROLE: 'projector' } });
  });
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((stream) => stream.close()));
  });
  afterAll(async () => {
    await api.close();
    await projector?.close();
    await database.drop();
  });

  const open = async (account: string, auth: { key?: string; token?: string } = {}) => {
    const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : '';
    const headers: Record<string, string> = auth.token
      ? {}
      : { authorization: `Bearer ${auth.key ?? TEST_KEYS.service}` };
    const stream = await SseClient.open(
      `${api.baseUrl}/v1/accounts/${account}/balance/stream${query}`,
      headers,
    );
    streams.push(stream);
    return stream;
  };
  const grant = (account: string, credits: number) =>
    api.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
  const spend = (account: string, credits: number) =>
    api.http.post(`/v1/accounts/${account}/spends`, { credits, description: 'render' });
  const mintToken = async (account: string, ttlSeconds?: number) =>
    (
      await api.http.post(
        `/v1/accounts/${account}/customer-tokens`,
        ttlSeconds ? { ttlSeconds } : undefined,
      )
    ).body.token as string;

  it('sends the balance answer on connect: the GET …/balance body, as an event named balance', async () => {
    await grant('live-1', 300);
    const stream = await open('live-1');
    expect(stream.status).toBe(200);
    expect(stream.headers?.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.waitFor(() => stream.balances().length === 1);
    const balance = await api.http.get('/v1/accounts/live-1/balance');
    expect(stream.balances()[0]).toEqual(balance.body);
    expect(stream.messages[0].event).toBe('balance');
  });

  it('sends the new balance after a spend and after a purchase made through the API, within 2 s', async () => {
    await grant('live-2', 200);
    const stream = await open('live-2');
    await stream.waitFor(() => stream.balances().length === 1);

    let started = Date.now();
    expect((await spend('live-2', 30)).status).toBe(201);
    await stream.waitFor(() => stream.balances().at(-1)?.balance === 170, DELIVERY_MS);
    const afterSpendMs = Date.now() - started;

    started = Date.now();
    const purchase = await api.http.post(
      '/v1/accounts/live-2/purchases',
      { credits: 100, amountPaid: 1000, currency: 'USD', providerRef: 'pi_live_2' },
      { key: TEST_KEYS.granter },
    );
    expect(purchase.status).toBe(201);
    await stream.waitFor(() => stream.balances().at(-1)?.balance === 270, DELIVERY_MS);
    const afterPurchaseMs = Date.now() - started;

    expect(stream.balances().map((answer) => answer.balance)).toEqual([200, 170, 270]);
    expect(stream.balances().at(-1)).toEqual(
      (await api.http.get('/v1/accounts/live-2/balance')).body,
    );
    // For the report: how long a change took to reach the stream.
    process.stdout.write(
      `live balance delivery: spend ${afterSpendMs} ms, purchase ${afterPurchaseMs} ms\n`,
    );
  });

  it('tells only the subscribed account: a change elsewhere sends nothing', async () => {
    await grant('live-3', 50);
    await grant('live-3-other', 50);
    const stream = await open('live-3');
    await stream.waitFor(() => stream.balances().length === 1);
    await spend('live-3-other', 10);
    await spend('live-3', 5);
    await stream.waitFor(() => stream.balances().length === 2, DELIVERY_MS);
    expect(stream.balances().map((answer) => answer.balance)).toEqual([50, 45]);
  });

  it('sends a heartbeat comment every BALANCE_STREAM_HEARTBEAT_SECONDS', async () => {
    const stream = await open('live-4');
    await stream.waitFor(() => stream.comments.includes('heartbeat'), 2_500);
    expect(stream.balances()).toEqual([expect.objectContaining({ balance: 0, revision: -1 })]);
  });

  it('takes a customer token as ?token= (EventSource sends no headers), for its own account only', async () => {
    await grant('live-5', 80);
    const token = await mintToken('live-5');
    const stream = await open('live-5', { token });
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.balances().length === 1);
    await spend('live-5', 8);
    await stream.waitFor(() => stream.balances().at(-1)?.balance === 72, DELIVERY_MS);

    const other = await open('live-5-other', { token });
    expect(other.status).toBe(403);
    const forged = await open('live-5', { token: `${token.slice(0, -3)}abc` });
    expect(forged.status).toBe(401);
    const apiKeyInUrl = await open('live-5', { token: TEST_KEYS.service });
    expect(apiKeyInUrl.status).toBe(401);
  });

  it('carries the CORS header for a widget origin', async () => {
    const token = await mintToken('live-6');
    const stream = await SseClient.open(
      `${api.baseUrl}/v1/accounts/live-6/balance/stream?token=${token}`,
      { origin: 'https://widgets.example.com' },
    );
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers?.get('access-control-allow-origin')).toBe('https://widgets.example.com');
  });

  it('ends a stream opened with a customer token when the token expires', async () => {
    const token = await mintToken('live-7', 2);
    const stream = await open('live-7', { token });
    await stream.waitFor(() => stream.balances().length === 1);
    await stream.waitFor(() => stream.ended, 4_000);
  });

  it('refuses more than BALANCE_STREAM_MAX_CONNECTIONS with a 503 problem, and frees a slot when a client leaves', async () => {
    const open3 = await Promise.all([open('cap-1'), open('cap-2'), open('cap-3')]);
    for (const stream of open3) expect(stream.status).toBe(200);
    const refused = await open('cap-4');
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({
      code: 'unavailable',
      detail: expect.stringMatching(/BALANCE_STREAM_MAX_CONNECTIONS/),
    });
    expect(refused.headers?.get('retry-after')).toBe('5');

    await open3[0].close();
    let again = refused;
    const deadline = Date.now() + 3_000;
    while (again.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open('cap-4');
    }
    expect(again.status).toBe(200);
  });

  it('keeps working while the projector is down and after it restarts (the feed is the log, not a projection)', async () => {
    await grant('live-8', 100);
    const stream = await open('live-8');
    await stream.waitFor(() => stream.balances().length === 1);

    await projector!.close();
    projector = null;
    await spend('live-8', 10);
    await stream.waitFor(() => stream.balances().at(-1)?.balance === 90, DELIVERY_MS);

    projector = await startTestApp({ clock, database, env: { ...ENV, ROLE: 'projector' } });
    await spend('live-8', 15);
    await stream.waitFor(() => stream.balances().at(-1)?.balance === 75, DELIVERY_MS);
    expect(stream.balances().map((answer) => answer.balance)).toEqual([100, 90, 75]);
  });

  it('a process serving no API does not serve the stream either', async () => {
    const response = await projector!.http.get('/v1/accounts/live-9/balance/stream');
    expect(response.status).toBe(404);
  });
});
