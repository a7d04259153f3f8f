import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import type { GetClientMessage, GetRequest } from '../children/get-client';
import { benchConfig, startBenchApp } from '../lib/bench-app';
import type { LoopResult } from '../lib/closed-loop';
import type { BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round, type LatencySummary } from '../lib/stats';

export const ANALYTICS_HTTP_TARGET = 'p99 < 100 ms for every question at ~1,000,000 events';
const FINANCE_KEY = 'bench-finance-key';
const ACCOUNTS = 10_000;
const ACTIVE_DAYS_PER_ACCOUNT = 40;
const POOL_ACCOUNTS = 200;
const MEMBERS_PER_POOL = 25;
const DAYS = 730;

/**
 * `analytics-http`: GET /v1/analytics/usage and /purchases over HTTP (the real app, listening on
 * loopback) on analytics read models holding what about 1,000,000 ledger events leave there,
 * spread over the last two years (written straight into the tables by SQL; the projection's own
 * speed is projector-rebuild's business):
 * - 10,000 accounts, each active on 40 days: 700,000 spends (1 or 2 a day, 1.75 on average) and
 *   50,000 refunds → 400,000 rows per account and day, their monthly, quarterly and yearly
 *   roll-ups, 730 × 8 operations;
 * - 200 of them pool accounts with 25 members each (their days split among members);
 * - 50,000 purchases over 730 days × 4 packs × 2 currencies;
 * - the other ~200,000 events (grants, holds, releases, expiries) leave no analytics rows.
 * Each question (groupBy × a period of 30 days, 1 year, 2 years) is asked after a warm-up by two
 * clients back to back; each answer includes the previous period (two reads).
 */
export async function analyticsHttp(context: BenchContext): Promise<ScenarioResult> {
  const seedStarted = performance.now();
  const rows = await seedAnalytics(context.database.pool);
  const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
  context.log(`  seeded the analytics read models (${JSON.stringify(rows)}) in ${seedSeconds} s`);

  const config = benchConfig(context.pg.connectionString, {
    LEDGER_API_KEYS: `finance:${FINANCE_KEY}:finance`,
  });
  const bench = await startBenchApp(config, context.database);
  // The client runs in a process of its own: reading 0.5 MB answers is not the server's work.
  const client = fork(join(__dirname, '..', 'children', 'get-client.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await bench.app.listen({ port: 0, host: '127.0.0.1' });
    const address = bench.app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const now = Date.now();
    const since = (days: number) => new Date(now - days * 86_400_000).toISOString().slice(0, 10);
    const periods = {
      '30d': `from=${since(30)}`,
      '1y': `from=${since(365)}`,
      '2y': `from=${since(730)}`,
    };
    const questions: Array<[string, string]> = [];
    for (const [label, period] of Object.entries(periods)) {
      for (const groupBy of ['day', 'operation', 'account', 'member'])
        questions.push([
          `usage ${groupBy} ${label}`,
          `/v1/analytics/usage?${period}&groupBy=${groupBy}`,
        ]);
      for (const groupBy of ['day', 'pack'])
        questions.push([
          `purchases ${groupBy} ${label}`,
          `/v1/analytics/purchases?${period}&groupBy=${groupBy}`,
        ]);
    }
    const perQuestion: Record<string, LatencySummary> = {};
    const requests = context.settings.mode === 'quick' ? 40 : 200;
    let worst: { question: string; p99Ms: number } | null = null;
    let errors = 0;
    let ok = 0;
    let seconds = 0;
    for (const [question, path] of questions) {
      const result = await ask(client, {
        kind: 'ask',
        url: `${baseUrl}${path}`,
        headers: { authorization: `Bearer ${FINANCE_KEY}` },
        concurrency: 2,
        warmup: 6,
        requests,
      });
      perQuestion[question] = result.latency;
      errors += result.errors;
      ok += result.ok;
      seconds += result.seconds;
      const p99 = result.latency.p99Ms ?? Infinity;
      if (!worst || p99 > worst.p99Ms) worst = { question, p99Ms: p99 };
      context.log(
        `    ${question}: p50 ${result.latency.p50Ms} ms, p99 ${result.latency.p99Ms} ms${result.errors ? `, ${result.errors} errors: ${result.errorSample}` : ''}`,
      );
    }
    const p50s = Object.values(perQuestion).map((summary) => summary.p50Ms ?? 0);
    return {
      name: 'analytics-http',
      opsPerSec: seconds > 0 ? round(ok / seconds, 1) : null,
      p50Ms: round(p50s.sort((a, b) => a - b)[Math.floor(p50s.length / 2)]),
      p99Ms: worst?.p99Ms ?? null,
      baselines: {},
      available: true,
      target: {
        text: ANALYTICS_HTTP_TARGET,
        met: errors === 0 && worst !== null && worst.p99Ms < 100,
      },
      errors,
      rejected: 0,
      notes: [
        `${questions.length} questions (usage by day, operation, account, member; purchases by day, pack; over 30 days, 1 year, 2 years), ${requests} requests each by 2 keep-alive connections of a client process (node:http) after 6 to warm up`,
        `p99Ms is the worst question's p99 (${worst?.question}); p50Ms the median of the questions' p50s; opsPerSec answered questions per second`,
        'read models seeded by SQL with what ~1,000,000 events leave in them (see details.rows)',
      ],
      details: { rows, seedSeconds, perQuestion },
    };
  } finally {
    client.disconnect();
    await bench.close();
  }
}

/** One question's run in the client process. */
function ask(client: ChildProcess, request: GetRequest): Promise<LoopResult> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`GET client exited with ${code}`));
    client.once('exit', onExit);
    client.once('message', (message: GetClientMessage) => {
      client.off('exit', onExit);
      if (message.kind === 'result') resolve(message.result);
      else reject(new Error(message.error));
    });
    client.send(request);
  });
}

/** Fills the analytics tables as ~1,000,000 events over the last two years would. */
export async function seedAnalytics(pool: Pool): Promise<Record<string, number>> {
  const today = `(now() AT TIME ZONE 'UTC')::date`;
  // The scenario owns these tables' content (the bench app runs no projector): whatever an earlier
  // scenario's rebuild projected of the bench's own spends goes, so the numbers are as described.
  await pool.query(
    'TRUNCATE analytics_account_usage_daily, analytics_account_usage_rollup, analytics_usage_daily, analytics_active_daily, analytics_usage_day_json, analytics_member_usage_daily, analytics_purchases_daily, analytics_purchases_day_json',
  );
  await pool.query(
    `INSERT INTO analytics_account_usage_daily (day, account_id, spent_credits, spends, refunded_credits, refunds)
     SELECT ${today} - ((a * 37 + k * 18) % ${DAYS}), 'bench-analytics-' || a,
            (1 + (k % 4 > 0)::int) * (5 + (a * k) % 40), 1 + (k % 4 > 0)::int,
            CASE WHEN k % 8 = 0 THEN 3 ELSE 0 END, (k % 8 = 0)::int
     FROM generate_series(1, ${ACCOUNTS}) AS a, generate_series(1, ${ACTIVE_DAYS_PER_ACCOUNT}) AS k
     ON CONFLICT DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO analytics_account_usage_rollup (granularity, start, account_id, spent_credits, spends, refunded_credits, refunds)
     SELECT g, date_trunc(g, day)::date, account_id, sum(spent_credits), sum(spends), sum(refunded_credits), sum(refunds)
     FROM analytics_account_usage_daily, (VALUES ('month'), ('quarter'), ('year')) AS granularities(g) GROUP BY 1, 2, 3`,
  );
  await pool.query(
    `INSERT INTO analytics_usage_daily (day, operation_id, spent_credits, spends, refunded_credits, refunds)
     SELECT day, 'operation-' || (abs(hashtext(account_id)) % 8), sum(spent_credits), sum(spends), sum(refunded_credits), sum(refunds)
     FROM analytics_account_usage_daily GROUP BY 1, 2`,
  );
  await pool.query(
    `INSERT INTO analytics_active_daily (day, active_accounts)
     SELECT day, count(*) FROM analytics_account_usage_daily WHERE spends > 0 GROUP BY day`,
  );
  // What the projection stores after each batch: every day's answer, made by its function.
  await pool.query(
    `INSERT INTO analytics_usage_day_json (day, json)
     SELECT day, analytics_usage_day_json_of(day) FROM (SELECT DISTINCT day FROM analytics_usage_daily) AS days`,
  );
  await pool.query(
    `INSERT INTO analytics_member_usage_daily (day, account_id, member, spent_credits, spends, refunded_credits, refunds)
     SELECT day, account_id, 'member-' || (abs(hashtext(account_id || day)) % ${MEMBERS_PER_POOL}),
            spent_credits, spends, refunded_credits, refunds
     FROM analytics_account_usage_daily
     WHERE substr(account_id, 17)::int <= ${POOL_ACCOUNTS}`,
  );
  await pool.query(
    `INSERT INTO analytics_purchases_daily (day, pack_id, currency, purchases, credits, revenue_minor, reversals, reversed_credits)
     SELECT ${today} - d, pack, currency, n, n * credits, n * price, (d % 30 = 0)::int, (d % 30 = 0)::int * credits
     FROM generate_series(0, ${DAYS - 1}) AS d,
          (VALUES ('basic', 100, 1000), ('standard', 275, 2500), ('pro', 600, 5000), ('', 50, 700)) AS p(pack, credits, price),
          (VALUES ('USD'), ('EUR')) AS c(currency),
          LATERAL (SELECT 6 + (d % 6) AS n) AS counts`,
  );
  await pool.query(
    `INSERT INTO analytics_purchases_day_json (day, json)
     SELECT day, analytics_purchases_day_json_of(day) FROM (SELECT DISTINCT day FROM analytics_purchases_daily) AS days`,
  );
  await pool.query(
    'VACUUM ANALYZE analytics_account_usage_daily, analytics_account_usage_rollup, analytics_usage_daily, analytics_active_daily, analytics_usage_day_json, analytics_member_usage_daily, analytics_purchases_daily, analytics_purchases_day_json',
  );
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM analytics_account_usage_daily) AS "accountDays",
            (SELECT count(*) FROM analytics_account_usage_rollup) AS "accountRollups",
            (SELECT count(*) FROM analytics_usage_daily) AS "operationDays",
            (SELECT count(*) FROM analytics_member_usage_daily) AS "memberDays",
            (SELECT count(*) FROM analytics_purchases_daily) AS "purchaseRows",
            (SELECT sum(spends)::bigint FROM analytics_account_usage_daily) AS spends,
            (SELECT sum(refunds)::bigint FROM analytics_account_usage_daily) AS refunds,
            (SELECT sum(purchases)::bigint FROM analytics_purchases_daily) AS purchases`,
  );
  return rows[0];
}
