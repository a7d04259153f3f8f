import { queryHistory, type HistoryQuery } from '../../projections/read-models/transaction-history';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MONTHS = 24;
const ROWS_PER_MONTH = 1_000;
const ACCOUNT = 'busy-account';

/**
 * History by date must read the period, not the account's whole history (issue 21 item 4). The
 * plan is checked with EXPLAIN ANALYZE on the query the API runs: row counts only, no timings.
 */
describe('history filtered by date', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ poolMax: 2 });
    // A busy account: 24 months × 1,000 rows, one revision after the other, plus a quiet neighbour.
    await db.pool.query(
      `INSERT INTO credit_transactions (account_id, revision, event_id, type, credits, balance_after, available_after, reserved_after,
                                        reserved_change, occurred_at, metadata, detail)
       SELECT a.account_id, r, gen_random_uuid(), 'grant', 1, r + 1, r + 1, 0, 0,
              timestamptz '2024-01-01' + (r * interval '1 month' / $1), '{}', '{}'
         FROM (VALUES ($2), ('quiet-account')) AS a(account_id), generate_series(0, $3 - 1) AS r`,
      [ROWS_PER_MONTH, ACCOUNT, MONTHS * ROWS_PER_MONTH],
    );
    await db.pool.query('ANALYZE credit_transactions');
  });
  afterAll(() => db?.drop());

  /** Runs queryHistory's own SQL under EXPLAIN (ANALYZE, FORMAT JSON) and returns the plan. */
  async function planOf(query: HistoryQuery): Promise<any> {
    let plan: any;
    await queryHistory(
      {
        query: async (sql: string, params: unknown[]) => {
          const { rows } = await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
          plan = rows[0]['QUERY PLAN'][0].Plan;
          return { rows: [] };
        },
      } as any,
      query,
    );
    return plan;
  }

  function nodes(plan: any): any[] {
    return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
  }

  it('reads one month of a two-year history through the date index, not the whole history', async () => {
    const month = { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') };
    const plan = await planOf({
      accountId: ACCOUNT,
      limit: 50,
      types: null,
      ...month,
    });
    expect(nodes(plan).map((node) => node['Index Name'])).toContain('credit_transactions_by_time');
    // The nodes that read the table's rows (index scan, or bitmap heap scan): never a sequential scan.
    const scans = nodes(plan).filter((node) => node['Relation Name'] === 'credit_transactions');
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    // Rows read from the table: the month's (≈ 1,000), far from the account's 24,000.
    const {
      rows: [{ n: inMonth }],
    } = await db.pool.query(
      'SELECT count(*)::int AS n FROM credit_transactions WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at < $3',
      [ACCOUNT, month.from, month.to],
    );
    const read = scans.reduce(
      (sum, node) =>
        sum +
        node['Actual Rows'] * (node['Actual Loops'] ?? 1) +
        (node['Rows Removed by Filter'] ?? 0),
      0,
    );
    expect(inMonth).toBeLessThan(1.1 * ROWS_PER_MONTH);
    expect(read).toBe(inMonth);
  });

  it('answers the same rows as without the index, newest first, page by page', async () => {
    const month = { from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-07-01T00:00:00Z') };
    let cursor: string | undefined;
    const revisions: number[] = [];
    do {
      const page = await queryHistory(db.pool, {
        accountId: ACCOUNT,
        limit: 400,
        types: null,
        cursor,
        ...month,
      });
      revisions.push(...page.data.map((row: any) => row.revision));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await db.pool.query(
      'SELECT revision FROM credit_transactions WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at < $3 ORDER BY revision DESC',
      [ACCOUNT, month.from, month.to],
    );
    expect(revisions).toEqual(rows.map((row) => Number(row.revision)));
    expect(revisions.length).toBeGreaterThan(900);
  });
});
