import { ManualClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * The background expiry worker (role all) runs on a timer against the same clock; these tests prove
 * what the ledger does lazily, so it must not write in between. One round an hour: never, here.
 */
const NO_BACKGROUND_WORKER = { WORKER_INTERVAL_MS: '3600000' };

const finance = { key: TEST_KEYS.finance };
const grantKey = { key: TEST_KEYS.granter };
const T0 = '2026-03-01T12:00:00.000Z';

interface RawEvent {
  revision: number;
  position: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
  eventId: string;
}

describe('GET /v1/accounts/{accountId}/events (raw stream for finance)', () => {
  let t: TestApp;
  const clock = new ManualClock(T0);
  const account = '/v1/accounts/org:audit-raw';
  let spendId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_BACKGROUND_WORKER });
    await t.http.post(
      `${account}/grants`,
      {
        credits: 100,
        category: 'promotional',
        reason: 'signup',
        expiresAt: '2026-03-02T12:00:00Z',
      },
      grantKey,
    );
    clock.advance(60_000);
    const spend = await t.http.post(
      `${account}/spends`,
      { credits: 30, description: 'render' },
      { headers: { 'idempotency-key': 'job-1' } },
    );
    spendId = spend.body.spendId;
    clock.advance(60_000);
    await t.http.post(`${account}/refunds`, { spendId, credits: 5, reason: 'partial failure' });
    clock.advance(60_000);
    const hold = await t.http.post(`${account}/reservations`, { credits: 10, ttlSeconds: 60 });
    clock.advance(3_600_000);
    // The grant's block is still live; the hold is past its deadline: lazy expiry releases it first.
    await t.http.post(`${account}/spends`, { credits: 1, description: 'tiny' });
    expect(hold.status).toBe(201);
  });
  afterAll(() => t.close());

  it('lists every event in stream order with type, data, metadata, revision, position, recordedAt and eventId', async () => {
    const page = await t.http.get<{
      accountId: string;
      data: RawEvent[];
      nextRevision: number | null;
    }>(`${account}/events`, finance);
    expect(page.status).toBe(200);
    expect(page.body.accountId).toBe('org:audit-raw');
    expect(page.body.nextRevision).toBeNull();
    const events = page.body.data;
    expect(events.map((event) => [event.revision, event.type])).toEqual([
      [0, 'CreditsGranted'],
      [1, 'CreditsSpent'],
      [2, 'CreditsRefunded'],
      [3, 'CreditsReserved'],
      [4, 'ReservationReleased'],
      [5, 'CreditsSpent'],
    ]);
    expect(events[1]).toEqual({
      revision: 1,
      position: expect.any(String),
      type: 'CreditsSpent',
      data: {
        spendId,
        credits: 30,
        description: 'render',
        drawdown: [{ blockId: expect.any(String), credits: 30 }],
      },
      metadata: {
        occurredAt: '2026-03-01T12:01:00.000Z',
        idempotencyKey: 'job-1',
        requestHash: expect.any(String),
        correlationId: expect.any(String),
        actor: { kind: 'apiKey', id: 'svc' },
        schemaVersion: 1,
      },
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // Lazy expiry is written by the system, in the same append as the spend that triggered it.
    expect(events[4]).toMatchObject({
      data: { reason: 'expired', credits: 10 },
      metadata: { actor: { kind: 'system', id: 'expiry' } },
    });
    expect(events[4].metadata.correlationId).toBe(events[5].metadata.correlationId);
    // Global positions grow with the stream (compared by the service; here they are just distinct).
    expect(new Set(events.map((event) => event.position)).size).toBe(6);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(6);
  });

  it('pages with fromRevision and limit; nextRevision is null once the end was reached', async () => {
    const first = await t.http.get(`${account}/events?limit=4`, finance);
    expect(first.body.data.map((event: RawEvent) => event.revision)).toEqual([0, 1, 2, 3]);
    expect(first.body.nextRevision).toBe(4);
    const second = await t.http.get(
      `${account}/events?fromRevision=${first.body.nextRevision}&limit=4`,
      finance,
    );
    expect(second.body.data.map((event: RawEvent) => event.revision)).toEqual([4, 5]);
    expect(second.body.nextRevision).toBeNull();
    // Exactly the rest: the end is known without an extra, empty page.
    const exact = await t.http.get(`${account}/events?fromRevision=3&limit=3`, finance);
    expect(exact.body).toMatchObject({
      nextRevision: null,
      data: [{ revision: 3 }, { revision: 4 }, { revision: 5 }],
    });
    const one = await t.http.get(`${account}/events?fromRevision=5&limit=1`, finance);
    expect(one.body).toMatchObject({ nextRevision: null, data: [{ revision: 5 }] });
    const past = await t.http.get(`${account}/events?fromRevision=999999999999999`, finance);
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ accountId: 'org:audit-raw', data: [], nextRevision: null });
    const pages = await t.http.get(`${account}/events?limit=1000`, finance);
    expect(pages.body.data).toHaveLength(6);
  });

  it('pages through a stream longer than the default limit of 100', async () => {
    const busy = '/v1/accounts/audit-busy';
    await t.http.post(
      `${busy}/grants`,
      { credits: 1000, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    for (let index = 0; index < 120; index += 1)
      await t.http.post(`${busy}/spends`, { credits: 1, description: `s${index}` });
    const first = await t.http.get(`${busy}/events`, finance);
    expect(first.body.data).toHaveLength(100);
    expect(first.body.nextRevision).toBe(100);
    const rest = await t.http.get(`${busy}/events?fromRevision=100`, finance);
    expect(rest.body.data.map((event: RawEvent) => event.revision)).toEqual(
      Array.from({ length: 21 }, (_, index) => 100 + index),
    );
    expect(rest.body.nextRevision).toBeNull();
  });

  it('answers an account without a stream with an empty page', async () => {
    const empty = await t.http.get('/v1/accounts/never-seen/events', finance);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ accountId: 'never-seen', data: [], nextRevision: null });
  });

  it('needs the finance scope (or admin)', async () => {
    expect((await t.http.get(`${account}/events`, { key: null })).status).toBe(401);
    const service = await t.http.get(`${account}/events`);
    expect(service.status).toBe(403);
    expect(service.body).toMatchObject({ code: 'forbidden' });
    expect((await t.http.get(`${account}/events`, { key: TEST_KEYS.readOnly })).status).toBe(403);
    expect((await t.http.get(`${account}/events`, { key: TEST_KEYS.admin })).status).toBe(200);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=', 'limit'],
    ['limit=10&limit=20', 'limit'],
    ['fromRevision=-1', 'fromRevision'],
    ['fromRevision=01', 'fromRevision'],
    ['fromRevision=1e3', 'fromRevision'],
    ['fromRevision=9999999999999999', 'fromRevision'],
    ['after=5', 'after'],
  ])('answers 400 validation_failed naming the field for ?%s', async (query, field) => {
    const response = await t.http.get(`${account}/events?${query}`, finance);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(response.body.errors.length).toBeGreaterThan(0);
    expect(response.body.errors.every((error: { field: string }) => error.field === field)).toBe(
      true,
    );
  });

  it('answers 400 for a bad account id', async () => {
    const response = await t.http.get('/v1/accounts/bad%20id/events', finance);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.http.get('/docs-json', { key: null });
    const operation = doc.body.paths['/v1/accounts/{accountId}/events'].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['accountId', 'fromRevision', 'limit']),
    );
    expect(operation.responses['200']).toBeDefined();
  });
});
