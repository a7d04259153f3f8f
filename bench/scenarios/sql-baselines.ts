import type { Pool, PoolClient } from 'pg';
import { createPool } from '../../src/database/pool';
import { randomInt } from '../lib/closed-loop';
import { ACCOUNT_PREFIX, FUNDED_CREDITS, type BenchContext } from '../lib/context';
import { measurePhase } from '../lib/phase';
import { phaseDetails, type BaselineResult } from '../lib/result';
import { accountIdOf } from '../lib/seed';

/**
 * Plain-SQL baselines, on the same PostgreSQL, through the same driver and pool size as the app
 * (src/database/pool.ts, DATABASE_POOL_MAX connections), at the same concurrency.
 */
export async function prepareSqlBaselines(context: BenchContext): Promise<void> {
  await withPool(context, 'bench-setup', async (pool) => {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await pool.query(`CREATE TABLE bench.raw_insert (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id text NOT NULL,
      credits integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(
      `CREATE TABLE bench.accounts (account_id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))`,
    );
    await pool.query(`CREATE TABLE bench.transactions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id text NOT NULL,
      credits bigint NOT NULL,
      balance_after bigint NOT NULL,
      description text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE INDEX transactions_by_account ON bench.transactions (account_id, id)`);
    await pool.query(
      `INSERT INTO bench.accounts (account_id, balance)
       SELECT $1::text || lpad(n::text, 6, '0'), $2::bigint FROM generate_series(1, $3::int) AS n`,
      [ACCOUNT_PREFIX, FUNDED_CREDITS, context.settings.accounts],
    );
    await pool.query(`VACUUM ANALYZE bench.accounts`);
  });
}

/** `raw-insert`: one single-row INSERT per autocommit transaction: the durable-commit limit. */
export async function rawInsertBaseline(context: BenchContext): Promise<BaselineResult> {
  const { settings } = context;
  return withPool(context, 'bench-raw-insert', async (pool) => {
    const phase = await measurePhase(context.probe, {
      concurrency: settings.concurrency,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      profile: { profiler: context.profiler, name: 'raw-insert' },
      op: async () => {
        await pool.query(`INSERT INTO bench.raw_insert (account_id, credits) VALUES ($1, $2)`, [
          randomAccount(settings.accounts),
          1,
        ]);
        return 'ok';
      },
    });
    return {
      name: 'raw-insert',
      opsPerSec: phase.opsPerSec,
      p50Ms: phase.latency.p50Ms,
      p99Ms: phase.latency.p99Ms,
      errors: phase.errors,
      notes: [],
      details: phaseDetails(phase),
    };
  });
}

/**
 * `naive-row`: the usual mutable-balance design. BEGIN; SELECT balance … FOR UPDATE; UPDATE the
 * balance; INSERT a transaction row; COMMIT (five round trips, one commit).
 */
export async function naiveRowBaseline(context: BenchContext): Promise<BaselineResult> {
  const { settings } = context;
  return withPool(context, 'bench-naive-row', async (pool) => {
    const phase = await measurePhase(context.probe, {
      concurrency: settings.concurrency,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      profile: { profiler: context.profiler, name: 'naive-row' },
      op: async () => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          return await naiveSpend(client, randomAccount(settings.accounts), 1);
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          throw error;
        } finally {
          client.release(broken);
        }
      },
    });
    return {
      name: 'naive-row',
      opsPerSec: phase.opsPerSec,
      p50Ms: phase.latency.p50Ms,
      p99Ms: phase.latency.p99Ms,
      errors: phase.errors,
      notes: [],
      details: phaseDetails(phase),
    };
  });
}

async function naiveSpend(
  client: PoolClient,
  accountId: string,
  credits: number,
): Promise<'ok' | 'rejected'> {
  await client.query('BEGIN');
  const { rows } = await client.query<{ balance: number }>(
    `SELECT balance FROM bench.accounts WHERE account_id = $1 FOR UPDATE`,
    [accountId],
  );
  const balance = Number(rows[0].balance);
  if (balance < credits) {
    await client.query('ROLLBACK');
    return 'rejected';
  }
  await client.query(`UPDATE bench.accounts SET balance = $2 WHERE account_id = $1`, [
    accountId,
    balance - credits,
  ]);
  await client.query(
    `INSERT INTO bench.transactions (account_id, credits, balance_after, description) VALUES ($1, $2, $3, $4)`,
    [accountId, -credits, balance - credits, 'bench spend'],
  );
  await client.query('COMMIT');
  return 'ok';
}

export function randomAccount(count: number): string {
  return accountIdOf(ACCOUNT_PREFIX, 1 + randomInt(count));
}

async function withPool<T>(
  context: BenchContext,
  name: string,
  work: (pool: Pool) => Promise<T>,
): Promise<T> {
  const pool = createPool({
    connectionString: context.pg.connectionString,
    max: context.config.databasePoolMax,
    applicationName: name,
  });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
