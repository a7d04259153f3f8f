import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DUE_ACCOUNTS_SQL, findDueAccounts } from '../../src/expiry/due-accounts';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MIGRATION = readFileSync(
  join(__dirname, '../../migrations/1732280000000_credit-blocks-hot-updates.sql'),
  'utf8',
);
const [UP, DOWN] = MIGRATION.split('-- Down Migration') as [string, string];

/**
 * Migration 1732280000000 on a database whose credit_blocks already hold rows (an upgrade): the
 * derived holds_credits is filled for every existing block, the expiry index is rebuilt on it,
 * and the expiry job's query still finds exactly the due blocks through that index. Down then Up
 * again also works on a filled table.
 */
describe('migration 1732280000000 (credit_blocks updated in place)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('fills holds_credits for existing blocks, and the expiry job finds the due ones by its index', async () => {
    await db.pool.query(DOWN);
    // The four kinds of block the expiry job must tell apart, written in the old shape.
    await db.pool.query(
      `INSERT INTO credit_blocks (account_id, block_id, category, credits, remaining, granted_at, expires_at, expired, revision)
       VALUES ('due', 'b', 'paid', 10, 4, '2026-01-01', '2026-02-01', false, 1),
              ('empty', 'b', 'paid', 10, 0, '2026-01-01', '2026-02-01', false, 1),
              ('expired', 'b', 'paid', 10, 4, '2026-01-01', '2026-02-01', true, 1),
              ('forever', 'b', 'paid', 10, 4, '2026-01-01', NULL, false, 1)`,
    );

    await db.pool.query(UP);

    const { rows } = await db.pool.query(
      `SELECT account_id, holds_credits FROM credit_blocks ORDER BY account_id`,
    );
    expect(rows).toEqual([
      { account_id: 'due', holds_credits: true },
      { account_id: 'empty', holds_credits: false },
      { account_id: 'expired', holds_credits: false },
      { account_id: 'forever', holds_credits: true },
    ]);
    expect(await findDueAccounts(db.pool, new Date('2026-03-01'), 10)).toEqual(['due']);

    // The job's own statement can be answered from the index (its condition implies the
    // predicate; a condition on remaining would not, and the index would go unused).
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DUE_ACCOUNTS_SQL}`, [
        new Date('2026-03-01'),
        10,
      ]);
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('credit_blocks_due');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
