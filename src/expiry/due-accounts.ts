import type { Pool } from 'pg';

/**
 * $1 = now, $2 = limit. The blocks' condition is credit_blocks_due's predicate (migration
 * 1732280000000), so the planner can answer it from that index.
 */
export const DUE_ACCOUNTS_SQL = `SELECT account_id FROM (
       SELECT account_id, expires_at FROM credit_blocks
       WHERE expires_at IS NOT NULL AND expires_at <= $1 AND holds_credits
       UNION ALL
       SELECT account_id, expires_at FROM open_holds WHERE expires_at <= $1
     ) due
     GROUP BY account_id ORDER BY min(expires_at) LIMIT $2`;

/**
 * Accounts with something due at `now`, from the read models: a block past its expiresAt that
 * still holds credits, or an open hold past its deadline. The read models may lag; the command
 * the worker sends decides on the stream, so a stale row only costs a no-op.
 */
export async function findDueAccounts(pool: Pool, now: Date, limit: number): Promise<string[]> {
  const { rows } = await pool.query<{ account_id: string }>(DUE_ACCOUNTS_SQL, [now, limit]);
  return rows.map((row) => row.account_id);
}
