import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { DATABASE, type Database } from '../../src/database/database';
import { ExportSlots } from '../../src/reports/exports/export-slots';
import { ManualClock } from '../../src/shared/clock';
import { InMemoryRateCards, TEST_OPERATIONS, useRateCards } from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const finance = { key: TEST_KEYS.finance };
const fields = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((error) => error.field);

/** RFC 4180 parsing, enough to read back what the service wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** A request whose response body is read only when the test says so (backpressure, disconnects). */
function openDownload(
  baseUrl: string,
  path: string,
): Promise<{ response: IncomingMessage; request: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${TEST_KEYS.finance}` },
      agent: false,
    });
    request.on('response', (response) => resolve({ response, request }));
    request.on('error', reject);
    request.end();
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * GET /v1/reports/transactions.csv and purchases.csv over HTTP on PostgreSQL (API.md "Reports",
 * docs/reports.md "Exports"): the format and the injection rule, rows equal to the history API,
 * the refusals, the limit on concurrent exports, and a client that goes away mid-export giving
 * the cursor and its connection back.
 */
describe('CSV exports', () => {
  let database: TestDatabase;
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      clock,
      database,
      env: {
        WORKER_INTERVAL_MS: '3600000',
        CONSISTENCY_TIMEOUT_MS: '15000',
        REPORTS_MAX_CONCURRENT_EXPORTS: '1',
      },
    });
    useRateCards(t.app, new InMemoryRateCards(TEST_OPERATIONS));
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('writes one row per history row, RFC 4180, ISO-8601 UTC instants, integer amounts, text cells neutralised', async () => {
    await t.http.post(
      '/v1/accounts/csv-a/grants',
      { credits: 500, category: 'paid', reason: 'adjustment', description: '+ welcome, "friend"' },
      { key: TEST_KEYS.granter },
    );
    clock.set('2026-03-02T08:30:00.123Z');
    const spent = await t.http.post('/v1/accounts/csv-a/spends', {
      credits: 10,
      description: '=HYPERLINK("http://evil","click")',
      reference: '@ref',
      metadata: { job: 'a,b' },
    });
    expect(spent.status).toBe(201);
    await t.http.post('/v1/accounts/csv-a/spends', {
      operation: 'stem-separation',
      description: '-5 credits\r\nline 2',
    });
    await t.http.post('/v1/accounts/csv-a/refunds', {
      spendId: spent.body.spendId,
      credits: 3,
      reason: 'failed',
    });
    const bought = await t.http.post(
      '/v1/accounts/csv-b/purchases',
      {
        credits: 275,
        amountPaid: 2500,
        currency: 'USD',
        providerRef: 'pi_csv_1',
        packId: 'standard',
      },
      { key: TEST_KEYS.granter },
    );
    expect(bought.status).toBe(201);
    const after = encodeURIComponent(bought.body.position);
    const history = await t.http.get(`/v1/accounts/csv-a/transactions?after=${after}`, {
      key: TEST_KEYS.readOnly,
    });
    expect(history.body.data).toHaveLength(4);

    const csv = await t.http.get(
      '/v1/reports/transactions.csv?from=2026-03-01&to=2026-03-03',
      finance,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="transactions-2026-03-01T000000Z--2026-03-03T000000Z.csv"',
    );
    const rows = parseCsv(csv.body as string);
    expect(rows[0]).toEqual([
      'occurredAt',
      'accountId',
      'revision',
      'id',
      'type',
      'credits',
      'balanceAfter',
      'availableAfter',
      'reservedAfter',
      'reservedChange',
      'operationId',
      'description',
      'reference',
      'metadata',
    ]);
    expect(rows).toHaveLength(6);
    const oldestFirst = [...history.body.data].reverse();
    // metadata is JSON text (PostgreSQL's jsonb spelling): compared as the object it encodes.
    const parsed = rows.slice(1, 5).map((row) => [...row.slice(0, 13), JSON.parse(row[13])]);
    expect(parsed).toEqual(
      oldestFirst.map((row: Record<string, any>) => [
        row.occurredAt,
        'csv-a',
        String(row.revision),
        row.id,
        row.type,
        String(row.credits),
        String(row.balanceAfter),
        String(row.availableAfter),
        String(row.reservedAfter),
        String(row.reservedChange),
        row.operation?.operationId ?? '',
        row.description === null
          ? ''
          : /^[=+\-@\t\r]/.test(row.description)
            ? `'${row.description}`
            : row.description,
        row.reference === null
          ? ''
          : /^[=+\-@\t\r]/.test(row.reference)
            ? `'${row.reference}`
            : row.reference,
        row.metadata,
      ]),
    );
    expect(rows[5].slice(1, 6)).toEqual([
      'csv-b',
      '0',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'purchase',
      '275',
    ]);
    // Byte level: the formula is prefixed and quoted, a negative amount stays a bare number.
    const text = csv.body as string;
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"",""click"")",'@ref,`);
    expect(text).toContain(`,"'+ welcome, ""friend""",`);
    expect(text).toContain(`,"'-5 credits\r\nline 2",`);
    expect(text).toMatch(/,spend,-10,490,490,0,0,,/);
    expect(text).toMatch(/^2026-03-01T12:00:00\.000Z,csv-a,0,/m);
    expect(text.endsWith('\r\n')).toBe(true);

    // One account only: exactly its rows (the console's per-account download).
    const one = await t.http.get(
      '/v1/reports/transactions.csv?from=2026-03-01&to=2026-03-03&accountId=csv-b',
      finance,
    );
    expect(parseCsv(one.body as string).map((row) => row[1])).toEqual(['accountId', 'csv-b']);
    // to is exclusive, instants are exact (exports are not widened to days).
    const early = await t.http.get(
      '/v1/reports/transactions.csv?from=2026-03-01T12:00:00Z&to=2026-03-02T08:30:00.123Z',
      finance,
    );
    expect(parseCsv(early.body as string)).toHaveLength(2);

    const purchases = await t.http.get(
      '/v1/reports/purchases.csv?from=2026-03-01&to=2026-03-03',
      finance,
    );
    expect(purchases.status).toBe(200);
    const purchaseRows = parseCsv(purchases.body as string);
    expect(purchaseRows[0]).toEqual([
      'occurredAt',
      'accountId',
      'purchaseId',
      'packId',
      'credits',
      'amountMinor',
      'currency',
      'provider',
      'providerRef',
      'blockId',
      'expiresAt',
      'id',
    ]);
    expect(purchaseRows).toHaveLength(2);
    expect(purchaseRows[1]).toEqual([
      '2026-03-02T08:30:00.123Z',
      'csv-b',
      expect.any(String),
      'standard',
      '275',
      '2500',
      'USD',
      'manual',
      'pi_csv_1',
      expect.any(String),
      '',
      rows[5][3],
    ]);
  });

  it('refuses bad parameters and keys without the finance or admin scope', async () => {
    const refused = async (path: string) => {
      const response = await t.http.get(path, finance);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      return fields(response.body);
    };
    expect(await refused('/v1/reports/transactions.csv?from=2023-01-01&to=2026-01-01')).toEqual([
      'to',
    ]);
    expect(await refused('/v1/reports/transactions.csv?from=2026-03-02&to=2026-03-01')).toEqual([
      'to',
    ]);
    expect(await refused('/v1/reports/transactions.csv?accountId=bad%20id')).toEqual(['accountId']);
    expect(await refused('/v1/reports/purchases.csv?accountId=csv-a')).toEqual(['accountId']);
    expect(await refused('/v1/reports/purchases.csv?from=March')).toEqual(['from']);
    expect(
      (await t.http.get('/v1/reports/transactions.csv', { key: TEST_KEYS.readOnly })).status,
    ).toBe(403);
    expect((await t.http.get('/v1/reports/purchases.csv', { key: TEST_KEYS.granter })).status).toBe(
      403,
    );
    const admin = await t.http.get('/v1/reports/purchases.csv', { key: TEST_KEYS.admin });
    expect(admin.status).toBe(200);
  });

  it('limits concurrent exports (503 with Retry-After), and a client that goes away gives the cursor and the connection back', async () => {
    // 100,000 rows (written straight into the read model: this is about streaming, not the ledger).
    await database.pool.query(
      `INSERT INTO credit_transactions (account_id, revision, event_id, type, credits, balance_after, available_after,
                                        reserved_after, reserved_change, description, reference, occurred_at, metadata, detail)
       SELECT 'bulk-' || (n % 1000), n / 1000, gen_random_uuid(), 'spend', -1, 0, 0, 0, 0, 'bulk row ' || n, NULL,
              timestamptz '2025-06-01' + n * interval '1 second', '{}', '{}'
       FROM generate_series(1, 100000) AS n`,
    );
    const pool = t.app.get<Database>(DATABASE).pool;
    const slots = t.app.get(ExportSlots);
    const path = '/v1/reports/transactions.csv?from=2025-06-01&to=2025-06-30';
    const first = await openDownload(t.baseUrl, path);
    expect(first.response.statusCode).toBe(200);
    // Read a little, then stop reading: the export waits (backpressure) holding its slot.
    const firstChunk: Buffer = await new Promise((resolve) => first.response.once('data', resolve));
    first.response.pause();
    expect(firstChunk.toString('utf8')).toMatch(/^occurredAt,accountId,/);
    expect(slots.running).toBe(1);

    const busy = await t.http.get(path, finance);
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('unavailable');
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.body.detail).toContain('REPORTS_MAX_CONCURRENT_EXPORTS');

    const exportQueries = async () =>
      (
        await database.pool.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity
           WHERE application_name = 'ledger-e2e' AND query LIKE '%FROM credit_transactions%ORDER BY occurred_at%'
             AND state <> 'idle'`,
        )
      ).rows[0].count;
    expect(await exportQueries()).toBe(1);

    // The client goes away mid-export.
    first.request.destroy();
    await eventually(async () => slots.running === 0);
    await eventually(async () => (await exportQueries()) === 0);
    await eventually(async () => pool.totalCount === pool.idleCount);

    // The slot is free again, and a whole export runs to its end.
    const whole = await t.http.get(path, finance);
    expect(whole.status).toBe(200);
    const lines = (whole.body as string).split('\r\n');
    // Header, the 100,000 rows (one a second from June 1: all inside the period), and the last CRLF.
    expect(lines).toHaveLength(1 + 100_000 + 1);
    expect(lines.at(-1)).toBe('');
    expect(slots.running).toBe(0);
  }, 240_000);

  it('answers a problem, not a 200 cut short, when the export fails before its first row', async () => {
    const slots = t.app.get(ExportSlots);
    const pool = t.app.get<Database>(DATABASE).pool;
    // The export's statement fails (a column it reads is gone) before any row is sent.
    await database.pool.query(
      'ALTER TABLE credit_transactions RENAME COLUMN reference TO reference_gone',
    );
    try {
      const failed = await t.http.get(
        '/v1/reports/transactions.csv?from=2025-06-01&to=2025-06-30',
        finance,
      );
      expect(failed.status).toBe(503);
      expect(failed.headers.get('content-type')).toContain('application/problem+json');
      expect(failed.headers.get('retry-after')).toBe('5');
      expect(failed.body.code).toBe('unavailable');
      expect(JSON.stringify(failed.body)).not.toContain('reference');
      const purchases = await t.http.get('/v1/reports/purchases.csv', finance);
      expect(purchases.status).toBe(503);
    } finally {
      await database.pool.query(
        'ALTER TABLE credit_transactions RENAME COLUMN reference_gone TO reference',
      );
    }
    // Nothing leaked: the slot and the connection are back, and the next export runs.
    await eventually(async () => slots.running === 0);
    await eventually(async () => pool.totalCount === pool.idleCount);
    const ok = await t.http.get('/v1/reports/purchases.csv', finance);
    expect(ok.status).toBe(200);
    expect(ok.body as string).toMatch(/^occurredAt,accountId,purchaseId,/);
  });
});
