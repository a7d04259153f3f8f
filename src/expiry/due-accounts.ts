import type { Pool } from 'pg';

/**
 * Accounts with something due at `now`, from the read models: a block past its expiresAt that
 * still holds credits, or an open hold past its deadline. The read models may lag; the command
 * the worker sends decides on the stream, so a stale row only costs a no-op.
 */
export async function findDueAccounts(pool: Pool, now: Date, limit: number): Promise<string[]> {
  const { rows } = await pool.query<{ account_id: string }>(
    `SELECT account_id FROM (
       SELECT account_id, expires_at FROM credit_blocks
       WHERE expires_at IS NOT NULL AND expires_at <= $1 AND holds_credits
       UNION ALL
       SELECT account_id, expires_at FROM open_holds WHERE expires_at <= $1
     ) due
     GROUP BY account_id ORDER BY min(expires_at) LIMIT $2`,
    [now, limit],
  );
  return rows.map((row) => row.account_id);
}
