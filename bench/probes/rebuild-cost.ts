import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import { rebuildProjections } from '../../projections/ops/rebuild';
import type { Projection } from '../../projections/projection';
import { PROJECTIONS } from '../../projections/registry';
import { benchConfig, openBenchDatabase } from '../lib/bench-app';
import { ResourceProbe, startBenchPostgres } from '../lib/bench-postgres';
import { FUNDED_CREDITS } from '../lib/context';
import { countEvents, seedAccounts, streamTemplate } from '../lib/seed';

/**
 * Where a rebuild's time goes (issue 20), on one seeded PostgreSQL, several rounds in a row so
 * changes can be compared on the same log: wall time, CPU per event of this process and of
 * PostgreSQL, the time each projection spends in its `apply` (the rest of a batch is BEGIN, the
 * checkpoint fence and update, COMMIT, and waiting for the shared read), and what the rebuild's
 * backends wait on (pg_stat_activity sampled every 50 ms).
 *
 *   npm run build && node dist/bench/probes/rebuild-cost.js [rounds] [bulkAccounts] [interleavedSpendRounds] [batchSize] [projection,…]
 *
 * The log: 10,000 funded accounts (as the bench seeds them), `interleavedSpendRounds` spends on
 * each of them in turn (a spend scenario's log: every batch spans up to 2,000 accounts), then
 * `bulkAccounts` bulk-loaded accounts of a grant and three spends (the bench's top-up).
 */
const FUNDED = 10_000;

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const bulkAccounts = Number(process.argv[3] ?? 60_000);
  const spendRounds = Number(process.argv[4] ?? 0);
  const batchSize = Number(process.argv[5] ?? 2_000);
  const only = process.argv[6]?.split(',') ?? null;
  // `noop`: a projection that writes nothing (the cost of reading, decoding and the batch transactions alone).
  const noop: Projection = {
    name: 'noop',
    tables: ['probe_noop'],
    description: 'nothing',
    apply: () => Promise.resolve(),
  };
  const projections = only
    ? [...PROJECTIONS, noop].filter((projection) => only.includes(projection.name))
    : PROJECTIONS;
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  const pg = await startBenchPostgres(log);
  try {
    const config = benchConfig(pg.connectionString);
    const database = await openBenchDatabase(config);
    const pool = database.pool;
    await seedAccounts(pool, {
      prefix: 'bench-acc-',
      count: FUNDED,
      credits: FUNDED_CREDITS,
      spendsPerAccount: 0,
    });
    if (spendRounds > 0) await seedInterleavedSpends(pool, 'bench-acc-', FUNDED, spendRounds);
    if (bulkAccounts > 0)
      await seedAccounts(pool, {
        prefix: 'bench-log-',
        count: bulkAccounts,
        credits: 1_000,
        spendsPerAccount: 3,
      });
    await pool.query('CREATE TABLE probe_noop (x int)');
    await pool.query('VACUUM ANALYZE');
    const events = await countEvents(pool);
    log(`log: ${events} events; batch ${batchSize}`);
    const probe = new ResourceProbe(pg.connectionString, pg.clusterDir);
    const eventStore = new PostgresEventStore(pool);
    for (let round = 1; round <= rounds; round++) {
      await probe.checkpoint();
      const applyMs = new Map<string, number>();
      const timed = projections.map((projection) => timedProjection(projection, applyMs));
      const waits = await sampleWaits(pg.connectionString);
      const before = await probe.snapshot();
      const started = performance.now();
      const results = await rebuildProjections(timed, {
        pool,
        connectionString: pg.connectionString,
        eventStore,
        batchSize,
        out: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
        interactive: false,
      });
      const seconds = (performance.now() - started) / 1000;
      const after = await probe.snapshot();
      const sampled = await waits.stop();
      const usage = ResourceProbe.usage(before, after);
      const applied = results[0].events;
      const perEventUs = (pct: number | null) =>
        pct === null ? '–' : ((((pct / 100) * seconds) / applied) * 1e6).toFixed(1);
      log(
        [
          `round ${round}: ${Math.round(applied / seconds)} events/s (${applied} events, ${seconds.toFixed(1)} s)`,
          `node ${usage.nodeCpuPct}% = ${perEventUs(usage.nodeCpuPct)} µs/event`,
          `postgres ${usage.postgresCpuPct}% = ${perEventUs(usage.postgresCpuPct)} µs/event`,
          `machine ${usage.machineCpuPct}%`,
          `WAL ${Math.round(usage.walBytes / applied)} B/event`,
          `load ${loadavg()
            .map((value) => value.toFixed(2))
            .join(' ')}`,
        ].join(' | '),
      );
      log(
        `  apply s: ${[...applyMs].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`).join(', ')}`,
      );
      log(`  backend waits (samples): ${sampled}`);
    }
    await database.close();
  } finally {
    await pg.stop();
  }
}

function timedProjection(projection: Projection, applyMs: Map<string, number>): Projection {
  return {
    name: projection.name,
    tables: projection.tables,
    description: projection.description,
    async apply(client, events) {
      const started = performance.now();
      await projection.apply(client, events);
      applyMs.set(
        projection.name,
        (applyMs.get(projection.name) ?? 0) + performance.now() - started,
      );
    },
  };
}

async function sampleWaits(connectionString: string): Promise<{ stop(): Promise<string> }> {
  const client = new Client({ connectionString });
  await client.connect();
  const counts = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ what: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || state AS what
         FROM pg_stat_activity WHERE application_name LIKE 'credits-ledger-rebuild-%' AND state <> 'idle'`,
      );
      for (const { what } of rows) counts.set(what, (counts.get(what) ?? 0) + 1);
      const idle = await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name LIKE 'credits-ledger-rebuild-%' AND state = 'idle'`,
      );
      counts.set(
        'idle (waiting for Node)',
        (counts.get('idle (waiting for Node)') ?? 0) + Number(idle.rows[0].n),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([what, n]) => `${what} ${n}`)
        .join(', ');
    },
  };
}

/**
 * `spendRounds` spends on each funded account, account after account in every round: the order a
 * spend scenario writes them in (a batch of the log spans many accounts, each a few events).
 */
async function seedInterleavedSpends(
  pool: import('pg').Pool,
  prefix: string,
  accounts: number,
  spendRounds: number,
): Promise<void> {
  const [, spend] = streamTemplate(FUNDED_CREDITS, 1);
  for (let round = 1; round <= spendRounds; round++) {
    await pool.query(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       SELECT $1::text || acc, $2::bigint, gen_random_uuid(), $3,
              replace(replace($4, 'ZQACCZQ', acc), 'ZQUIDZQ', gen_random_uuid()::text)::jsonb,
              replace($5, 'ZQACCZQ', acc)::jsonb
       FROM (SELECT $6::text || lpad(n::text, 6, '0') AS acc FROM generate_series(1, $7::int) AS n) a
       ORDER BY acc`,
      [STREAM_PREFIX, round, spend.type, spend.data, spend.metadata, prefix, accounts],
    );
  }
  await pool.query(`UPDATE streams SET revision = $1 WHERE starts_with(stream_id, $2)`, [
    spendRounds,
    `${STREAM_PREFIX}${prefix}`,
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
