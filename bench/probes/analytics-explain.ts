import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import {
  AnalyticsReadModel,
  type BothPeriodsJson,
} from '../../src/reports/analytics/analytics-read-model';
import type { PurchasesGroupBy, UsageGroupBy } from '../../src/reports/analytics/analytics-rows';
import { previousPeriod, resolvePeriod, wholeDays } from '../../src/reports/period';
import { benchConfig, openBenchDatabase } from '../lib/bench-app';
import { startBenchPostgres } from '../lib/bench-postgres';
import { seedAnalytics } from '../scenarios/analytics-http';

/**
 * Where the analytics questions spend their time (issue 18), without HTTP: the analytics-http
 * scenario's seed, then each question's SQL under EXPLAIN (ANALYZE, BUFFERS) and the read model's
 * own time (median and worst of 15 calls, period and previous period together as the handler
 * asks them). Run:
 *
 *   npm run build && node dist/bench/probes/analytics-explain.js [question filter, e.g. "account"]
 */
const filter = process.argv[2] ?? '';

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const pg = await startBenchPostgres(log);
  try {
    const database = await openBenchDatabase(benchConfig(pg.connectionString));
    try {
      log(`seeded ${JSON.stringify(await seedAnalytics(database.pool))}`);
      const statements: Array<{ text: string; values: unknown[] }> = [];
      const recording = recordingPool(database.pool, statements);
      const readModel = new AnalyticsReadModel({ pool: recording } as never);
      const now = new Date();
      for (const days of [30, 365, 730]) {
        const period = wholeDays(
          resolvePeriod({ from: new Date(now.getTime() - days * 86_400_000).toISOString() }, now),
        );
        const previous = previousPeriod(period);
        const questions: Array<[string, () => Promise<BothPeriodsJson>]> = [
          ...(['day', 'operation', 'account', 'member'] as UsageGroupBy[]).map(
            (groupBy): [string, () => Promise<BothPeriodsJson>] => [
              `usage ${groupBy} ${days}d`,
              () => readModel.usage(groupBy, period, previous, 100, now),
            ],
          ),
          ...(['day', 'pack'] as PurchasesGroupBy[]).map(
            (groupBy): [string, () => Promise<BothPeriodsJson>] => [
              `purchases ${groupBy} ${days}d`,
              () => readModel.purchases(groupBy, period, previous),
            ],
          ),
        ];
        for (const [name, ask] of questions) {
          if (!name.includes(filter)) continue;
          statements.length = 0;
          await ask();
          const explained = statements.filter((s) => /^\s*\(?\s*SELECT/i.test(s.text)).slice(0, 1);
          const times: number[] = [];
          for (let round = 0; round < 15; round++) {
            const started = performance.now();
            await ask();
            times.push(performance.now() - started);
          }
          times.sort((a, b) => a - b);
          const answer = await ask();
          // The handler's part: the answer around the rows' JSON (the day questions' is SQL's).
          const jsonStarted = performance.now();
          const json = `{"data":[${answer.data.join(',')}],"previous":[${answer.previous.join(',')}]}`;
          const jsonMs = performance.now() - jsonStarted;
          log(
            `\n== ${name}: read model ${times[7].toFixed(1)} ms median, ${times[14].toFixed(1)} ms worst; JSON ${Math.round(json.length / 1024)} kB in ${jsonMs.toFixed(1)} ms (load ${loadavg()[0].toFixed(1)})`,
          );
          for (const statement of explained) {
            const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(
              `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.text}`,
              statement.values,
            );
            for (const row of rows) log(`   ${row['QUERY PLAN']}`);
          }
        }
      }
    } finally {
      await database.close();
    }
  } finally {
    await pg.stop();
  }
}

/** The pool, with every statement it is given (and every client it hands out) recorded. */
function recordingPool(pool: Pool, into: Array<{ text: string; values: unknown[] }>): Pool {
  const record = (text: unknown, values: unknown) => {
    if (typeof text === 'string') into.push({ text, values: (values as unknown[]) ?? [] });
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query')
        return (text: string, values?: unknown[]) => {
          record(text, values);
          return target.query(text, values);
        };
      if (property === 'connect')
        return async () => {
          const client = await target.connect();
          return new Proxy(client, {
            get(inner, name) {
              if (name === 'query')
                return (text: string, values?: unknown[]) => {
                  record(text, values);
                  return inner.query(text, values);
                };
              const value = Reflect.get(inner, name) as unknown;
              return typeof value === 'function' ? (value as () => unknown).bind(inner) : value;
            },
          });
        };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
