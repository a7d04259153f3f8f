import type { HistoryRow } from '../../projections/read-models/transaction-history';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const grantKey = { key: TEST_KEYS.granter };

type Row = HistoryRow;

/** Oldest first, each row's balanceAfter is the previous one's plus its credits (and the same for reserved). */
function expectChained(newestFirst: Row[]): void {
  const rows = [...newestFirst].reverse();
  rows.forEach((row, index) => {
    const previous = index === 0 ? { balanceAfter: 0, reservedAfter: 0 } : rows[index - 1];
    expect(row.revision).toBe(index);
    expect(row.balanceAfter).toBe(previous.balanceAfter + row.credits);
    expect(row.reservedAfter).toBe(previous.reservedAfter + row.reservedChange);
    expect(row.balanceAfter).toBe(row.availableAfter + row.reservedAfter);
  });
}

describe('transaction history (projected)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A generous wait: another test file's open transaction on the shared server can hold back
    // the global log for a while; these tests are about correctness, not the 2 s default.
    t = await startTestApp({ env: { CONSISTENCY_TIMEOUT_MS: '15000' } });
  });
  afterAll(() => t.close());

  it('shows one row per event, newest first, with signed credits and chained balanceAfter', async () => {
    const account = '/v1/accounts/hist-rows';
    await t.http.post(
      `${account}/grants`,
      { credits: 100, category: 'promotional', reason: 'signup', description: 'welcome' },
      grantKey,
    );
    const purchase = await t.http.post(
      `${account}/purchases`,
      { credits: 50, amountPaid: 500, currency: 'USD', providerRef: 'pi_hist_1' },
      grantKey,
    );
    const spend = await t.http.post(`${account}/spends`, {
      credits: 30,
      description: 'render',
      reference: 'job-1',
      metadata: { project: 'p1' },
    });
    await t.http.post(`${account}/refunds`, {
      spendId: spend.body.spendId,
      credits: 10,
      reason: 'render failed',
    });
    const hold = await t.http.post(`${account}/reservations`, {
      credits: 40,
      ttlSeconds: 600,
      description: 'batch',
    });
    const capture = await t.http.post(
      `${account}/reservations/${hold.body.reservationId}/capture`,
      { credits: 25 },
    );
    expect(capture.status).toBe(201);

    const page = await t.http.get(
      `${account}/transactions?after=${encodeURIComponent(capture.body.position)}`,
    );
    expect(page.status).toBe(200);
    const rows = page.body.data as Row[];
    expect(page.body.nextCursor).toBeNull();
    expect(
      rows.map((row) => [
        row.type,
        row.credits,
        row.balanceAfter,
        row.availableAfter,
        row.reservedAfter,
      ]),
    ).toEqual([
      ['release', 0, 105, 105, 0], // the uncaptured 15 go back to available
      ['spend', -25, 105, 90, 15], // the capture: out of reserved
      ['reservation', 0, 130, 90, 40], // a hold moves credits, the balance stays
      ['refund', 10, 130, 130, 0],
      ['spend', -30, 120, 120, 0],
      ['purchase', 50, 150, 150, 0],
      ['grant', 100, 100, 100, 0],
    ]);
    expectChained(rows);
    expect(rows[6]).toMatchObject({
      description: 'welcome',
      reference: null,
      detail: { category: 'promotional', reason: 'signup' },
    });
    expect(rows[5]).toMatchObject({
      reference: 'pi_hist_1',
      detail: { purchaseId: purchase.body.purchaseId, amountPaid: { minor: 500, currency: 'USD' } },
    });
    expect(rows[4]).toMatchObject({
      description: 'render',
      reference: 'job-1',
      metadata: { project: 'p1' },
      detail: { spendId: spend.body.spendId },
    });
    expect(rows[3]).toMatchObject({
      description: 'render failed',
      detail: { spendId: spend.body.spendId },
    });
    expect(rows[2]).toMatchObject({
      description: 'batch',
      reservedChange: 40,
      detail: { reservationId: hold.body.reservationId, credits: 40 },
    });
    expect(rows[1]).toMatchObject({
      reservedChange: -25,
      detail: { reservationId: hold.body.reservationId },
    });
    expect(rows[0]).toMatchObject({
      reservedChange: -15,
      detail: { reason: 'captured_remainder', credits: 15 },
    });
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.occurredAt).toBe('2026-03-01T12:00:00.000Z');
    }
    const balance = await t.http.get(`${account}/balance`);
    expect(rows[0].balanceAfter).toBe(balance.body.balance);
  });

  it('filters by type and by occurredAt (from inclusive, to exclusive)', async () => {
    const account = '/v1/accounts/hist-filters';
    await t.http.post(
      `${account}/grants`,
      { credits: 100, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    await t.http.post(`${account}/spends`, { credits: 1, description: 'early' });
    (t.clock as import('../../src/shared/clock').ManualClock).advance(60_000);
    await t.http.post(`${account}/spends`, { credits: 2, description: 'late' });
    const last = await t.http.post(`${account}/spends`, { credits: 3, description: 'later' });
    const after = `after=${encodeURIComponent(last.body.position)}`;

    const spends = await t.http.get(`${account}/transactions?type=spend&${after}`);
    expect(spends.body.data.map((row: Row) => row.credits)).toEqual([-3, -2, -1]);
    const several = await t.http.get(`${account}/transactions?type=grant,spend&limit=2`);
    expect(several.body.data.map((row: Row) => row.type)).toEqual(['spend', 'spend']);
    const from = await t.http.get(`${account}/transactions?from=2026-03-01T12:01:00Z`);
    expect(from.body.data.map((row: Row) => row.description)).toEqual(['later', 'late']);
    const to = await t.http.get(
      `${account}/transactions?to=${encodeURIComponent('2026-03-01T13:01:00+01:00')}`,
    );
    expect(to.body.data.map((row: Row) => row.type)).toEqual(['spend', 'grant']);
    const none = await t.http.get('/v1/accounts/hist-nobody/transactions');
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });

  it('reads its own write with ?after=, every time', async () => {
    const account = '/v1/accounts/hist-ryw';
    await t.http.post(
      `${account}/grants`,
      { credits: 1000, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    for (let index = 0; index < 25; index++) {
      const spend = await t.http.post(`${account}/spends`, {
        credits: 1,
        description: `spend ${index}`,
      });
      const read = await t.http.get(
        `${account}/transactions?limit=1&after=${encodeURIComponent(spend.body.position)}`,
      );
      expect(read.status).toBe(200);
      expect(read.body.data[0]).toMatchObject({
        type: 'spend',
        description: `spend ${index}`,
        balanceAfter: spend.body.balance,
        revision: spend.body.revision,
      });
    }
  });

  it('pages without losing or repeating a row while spends keep arriving', async () => {
    const account = '/v1/accounts/hist-paging';
    await t.http.post(
      `${account}/grants`,
      { credits: 100_000, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    let last = '';
    for (let index = 0; index < 60; index++) {
      last = (
        await t.http.post(`${account}/spends`, { credits: 1, description: `before ${index}` })
      ).body.position;
    }
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const response = await t.http.post(`${account}/spends`, {
          credits: 1,
          description: `during ${written}`,
        });
        expect(response.status).toBe(201);
        written += 1;
      }
    })();

    const first = await t.http.get(
      `${account}/transactions?limit=7&after=${encodeURIComponent(last)}`,
    );
    const top = (first.body.data as Row[])[0].revision;
    const seen: Row[] = [...first.body.data];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await t.http.get(
        `${account}/transactions?limit=7&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
      await new Promise((resolve) => setTimeout(resolve, 5)); // let spends land between pages
    }
    writing = false;
    await writer;

    expect(written).toBeGreaterThan(0);
    const revisions = seen.map((row) => row.revision);
    expect(revisions).toEqual(Array.from({ length: top + 1 }, (_, index) => top - index)); // every row once, in order
    expect(new Set(seen.map((row) => row.id)).size).toBe(seen.length);
    expectChained(seen);
  });

  it('refuses bad parameters with validation problems naming the field', async () => {
    const base = '/v1/accounts/hist-bad/transactions';
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['type=bonus', 'type'],
      ['type=spend,bonus', 'type'],
      ['cursor=not*a*cursor', 'cursor'],
      ['cursor=eyJ2IjoxfQ', 'cursor'],
      ['from=yesterday', 'from'],
      ['from=2026-03-01', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
      ['after=nope', 'after'],
      ['sort=asc', 'sort'],
    ];
    for (const [query, field] of cases) {
      const response = await t.http.get(`${base}?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect((await t.http.get('/v1/accounts/bad%20id/transactions')).status).toBe(400);
    expect((await t.http.get(base, { key: null })).status).toBe(401);
  });

  it('refuses a cursor used with other filters or another account', async () => {
    const account = '/v1/accounts/hist-cursor';
    await t.http.post(
      `${account}/grants`,
      { credits: 10, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const last = await t.http.post(`${account}/spends`, { credits: 1, description: 'x' });
    const page = await t.http.get(
      `${account}/transactions?limit=1&after=${encodeURIComponent(last.body.position)}`,
    );
    const cursor = encodeURIComponent(page.body.nextCursor);
    expect(
      (await t.http.get(`${account}/transactions?limit=1&cursor=${cursor}`)).body.data,
    ).toHaveLength(1);
    expect((await t.http.get(`${account}/transactions?limit=5&cursor=${cursor}`)).status).toBe(200); // the page size may change
    const otherFilter = await t.http.get(`${account}/transactions?type=spend&cursor=${cursor}`);
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.errors[0].field).toBe('cursor');
    expect((await t.http.get(`/v1/accounts/hist-other/transactions?cursor=${cursor}`)).status).toBe(
      400,
    );
  });

  it('documents the route in the OpenAPI document', async () => {
    const doc = await t.http.get('/docs-json', { key: null });
    const operation = doc.body.paths['/v1/accounts/{accountId}/transactions'].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['accountId', 'limit', 'cursor', 'type', 'from', 'to', 'after']),
    );
  });
});

describe('?after= without a projector (role api)', () => {
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database, env: { ROLE: 'api', CONSISTENCY_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('answers 503 unavailable with Retry-After until a projector catches up, then the row', async () => {
    const account = '/v1/accounts/hist-api-only';
    const grant = await api.http.post(
      `${account}/grants`,
      { credits: 10, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const after = encodeURIComponent(grant.body.position);

    const started = Date.now();
    const waited = await api.http.get(`${account}/transactions?after=${after}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(waited.status).toBe(503);
    expect(waited.headers.get('retry-after')).toBe('1');
    expect(waited.headers.get('content-type')).toContain('application/problem+json');
    expect(waited.body).toMatchObject({
      code: 'unavailable',
      status: 503,
      position: grant.body.position,
    });
    // Without after, the (empty) projection answers at once.
    expect((await api.http.get(`${account}/transactions`)).body).toEqual({
      data: [],
      nextCursor: null,
    });
    const lagging = await api.http.get('/metrics', { key: null });
    expect(lagging.body).toMatch(/ledger_projection_lag_events\{projection="transactions"\} 1\b/);

    const projector = await startTestApp({ database, env: { ROLE: 'projector' } });
    try {
      // The api waits only 300 ms per request: on a busy machine the new projector may need a few
      // of those waits to catch up, and each 503 until then is the right answer.
      let caughtUp = await api.http.get(`${account}/transactions?after=${after}`);
      for (let attempt = 1; caughtUp.status === 503 && attempt < 40; attempt += 1) {
        caughtUp = await api.http.get(`${account}/transactions?after=${after}`);
      }
      expect(caughtUp.status).toBe(200);
      expect(caughtUp.body.data).toEqual([
        expect.objectContaining({ type: 'grant', credits: 10, balanceAfter: 10 }),
      ]);
      const metrics = await projector.http.get('/metrics', { key: null });
      expect(metrics.body).toMatch(/ledger_projection_lag_events\{projection="transactions"\} 0\b/);
      expect(metrics.body).toMatch(
        /ledger_projection_lag_seconds\{projection="transactions"\} 0\b/,
      );
      expect(metrics.body).toMatch(/ledger_projection_active\{projection="transactions"\} 1\b/);
      expect(metrics.body).toMatch(
        /ledger_projection_events_total\{projection="transactions"\} 1\b/,
      );
    } finally {
      await projector.close();
    }
    // Closing the app stopped its projectors: their locks (and connections) are gone.
    const locks = await database.pool.query(
      `SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory'
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(locks.rows[0].count).toBe(0);
  });
});
