import type { Pool } from 'pg';
import type { EventStore } from '../../../src/event-store/event-store.port';
import {
  comparePostgresPositions,
  encodePosition,
} from '../../../src/event-store/postgres/postgres-position';
import { PROJECTIONS } from '../../../projections/registry';
import { readCheckpoints } from '../../../projections/runtime/checkpoints';

/**
 * Resolves once every projection's checkpoint has reached the newest ledger event in the events
 * table (PostgreSQL event store). Not readAll: while any transaction in the cluster (another test
 * file's, say) is open, readAll holds back newer events, and "nothing after the checkpoint" would
 * be true too early.
 */
export async function waitForCatchUp(
  pool: Pool,
  _eventStore: EventStore,
  timeoutMs = 20_000,
  names = PROJECTIONS.map((p) => p.name),
): Promise<void> {
  const newest = await pool.query<{ xid: string; position: string }>(
    `SELECT transaction_id::text AS xid, global_position::text AS position FROM events WHERE starts_with(stream_id, 'credits-')
     ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  const target = newest.rows[0]
    ? encodePosition(newest.rows[0].xid, newest.rows[0].position)
    : null;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checkpoints = await readCheckpoints(pool);
    const behind = names.find((name) => {
      const checkpoint = checkpoints.get(name);
      if (!checkpoint) return true;
      if (target === null) return false;
      return (
        checkpoint.position === null || comparePostgresPositions(checkpoint.position, target) < 0
      );
    });
    if (behind === undefined) return;
    if (Date.now() > deadline)
      throw new Error(`projection ${behind} did not catch up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once `condition` holds; fails after `ms`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function countRows(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${table}`,
  );
  return rows[0].count;
}

/** The checks every "no duplicated or missing rows" test makes, straight in SQL. */
export async function historyMatchesEvents(
  pool: Pool,
): Promise<{ events: number; rows: number; missing: number; duplicated: number; broken: number }> {
  const { rows } = await pool.query<{
    events: number;
    rows: number;
    missing: number;
    duplicated: number;
    broken: number;
  }>(`
    SELECT
      (SELECT count(*)::int FROM events WHERE starts_with(stream_id, 'credits-')) AS events,
      (SELECT count(*)::int FROM credit_transactions) AS rows,
      (SELECT count(*)::int FROM events e WHERE starts_with(e.stream_id, 'credits-')
         AND NOT EXISTS (SELECT 1 FROM credit_transactions t WHERE t.event_id = e.event_id)) AS missing,
      (SELECT count(*)::int FROM (SELECT event_id FROM credit_transactions GROUP BY event_id HAVING count(*) > 1) d) AS duplicated,
      (SELECT count(*)::int FROM (
         SELECT balance_after - credits - coalesce(lag(balance_after) OVER w, 0) AS gap,
                revision - coalesce(lag(revision) OVER w, -1) AS step
         FROM credit_transactions WINDOW w AS (PARTITION BY account_id ORDER BY revision)) c
       WHERE gap <> 0 OR step <> 1) AS broken`);
  return rows[0];
}
