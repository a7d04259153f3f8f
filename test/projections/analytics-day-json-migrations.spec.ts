import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PURCHASE_DAY_ANSWERS,
  USAGE_DAY_ANSWERS,
  type DayAnswers,
} from '../../projections/analytics/day-answers';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The migrations that store each day's answers (usage, then purchases): on a database with
 * analytics already projected each fills its new table, and the text is what JSON.stringify
 * makes of the answer, byte for byte (the API sends it as is).
 */
describe('migrations 1732273000000 and 1732273100000 (stored day answers)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  /** Runs a migration's Up part again, as if the rows written so far were there when it ran. */
  async function storedByMigration(
    file: string,
    { table, answerOf }: DayAnswers,
  ): Promise<Array<{ day: string; json: string }>> {
    const up = readFileSync(join(__dirname, '../../migrations', file), 'utf8').split(
      '-- Down Migration',
    )[0];
    await db.pool.query(`DROP FUNCTION ${answerOf}(date); DROP TABLE ${table}`);
    await db.pool.query(up);
    const { rows } = await db.pool.query<{ day: string; json: string }>(
      `SELECT day::text AS day, json FROM ${table} ORDER BY day`,
    );
    return rows;
  }

  /** A day with nothing stored: its zeros, from the same function. */
  async function answerOf({ answerOf }: DayAnswers, day: string): Promise<string> {
    const { rows } = await db.pool.query<{ json: string }>(`SELECT ${answerOf}($1) AS json`, [day]);
    return rows[0].json;
  }

  it('stores the answer of every day with usage, as JSON.stringify writes it', async () => {
    // Rows as the analytics projection wrote them before the migration: operation ids in byte
    // order ('' is none), one with characters JSON must escape.
    await db.pool.query(
      `INSERT INTO analytics_usage_daily (day, operation_id, spent_credits, spends, refunded_credits, refunds)
       VALUES ('2026-03-01', 'video-export', 40, 2, 5, 1), ('2026-03-01', '', 7, 1, 0, 0),
              ('2026-03-01', 'Z"\\q', 3, 1, 0, 0), ('2026-03-03', 'video-export', 0, 0, 9, 1)`,
    );
    await db.pool.query(
      `INSERT INTO analytics_active_daily (day, active_accounts) VALUES ('2026-03-01', 2)`,
    );

    const rows = await storedByMigration(
      '1732273000000_analytics-usage-day-json.sql',
      USAGE_DAY_ANSWERS,
    );
    expect(rows).toEqual([
      {
        day: '2026-03-01',
        json: JSON.stringify({
          day: '2026-03-01',
          credits: 45,
          spentCredits: 50,
          refundedCredits: 5,
          spends: 4,
          refunds: 1,
          activeAccounts: 2,
          byOperation: [
            { operationId: null, credits: 7, spends: 1 },
            { operationId: 'Z"\\q', credits: 3, spends: 1 },
            { operationId: 'video-export', credits: 35, spends: 2 },
          ],
        }),
      },
      {
        day: '2026-03-03',
        json: JSON.stringify({
          day: '2026-03-03',
          credits: -9,
          spentCredits: 0,
          refundedCredits: 9,
          spends: 0,
          refunds: 1,
          activeAccounts: 0,
          byOperation: [{ operationId: 'video-export', credits: -9, spends: 0 }],
        }),
      },
    ]);

    expect(await answerOf(USAGE_DAY_ANSWERS, '2026-03-02')).toBe(
      JSON.stringify({
        day: '2026-03-02',
        credits: 0,
        spentCredits: 0,
        refundedCredits: 0,
        spends: 0,
        refunds: 0,
        activeAccounts: 0,
        byOperation: [],
      }),
    );
  });

  it('stores the answer of every day with purchases or reversals, as JSON.stringify writes it', async () => {
    // Two packs in USD, none in EUR, a currency with only a reversal that day (no revenue entry).
    await db.pool.query(
      `INSERT INTO analytics_purchases_daily (day, pack_id, currency, purchases, credits, revenue_minor, reversals, reversed_credits)
       VALUES ('2026-03-01', 'pro', 'USD', 2, 1200, 10000, 0, 0), ('2026-03-01', 'basic', 'USD', 1, 100, 1000, 1, 100),
              ('2026-03-01', '', 'EUR', 1, 50, 700, 0, 0), ('2026-03-01', 'basic', 'GBP', 0, 0, 0, 1, 100)`,
    );
    const rows = await storedByMigration(
      '1732273100000_analytics-purchases-day-json.sql',
      PURCHASE_DAY_ANSWERS,
    );
    expect(rows).toEqual([
      {
        day: '2026-03-01',
        json: JSON.stringify({
          day: '2026-03-01',
          purchases: 4,
          credits: 1350,
          revenue: [
            { currency: 'EUR', amountMinor: 700 },
            { currency: 'USD', amountMinor: 11000 },
          ],
          reversals: 2,
          reversedCredits: 200,
        }),
      },
    ]);
    expect(await answerOf(PURCHASE_DAY_ANSWERS, '2026-03-02')).toBe(
      JSON.stringify({
        day: '2026-03-02',
        purchases: 0,
        credits: 0,
        revenue: [],
        reversals: 0,
        reversedCredits: 0,
      }),
    );
  });
});
