import 'reflect-metadata';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchConfig, BENCH_API_KEYS, benchEnv, openBenchDatabase } from '../lib/bench-app';
import { ResourceProbe, startBenchPostgres, type TableRowCounts } from '../lib/bench-postgres';
import { QUICK, FUNDED_CREDITS, type BenchContext } from '../lib/context';
import { accountIdOf, seedAccounts } from '../lib/seed';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import { round } from '../lib/stats';
import { httpLoad } from '../scenarios/spend-http';

/**
 * What a spend costs the machine in each way of running the service, at a FIXED request rate
 * below every variant's capacity (an open loop), so that the figures are CPU and database work per
 * request rather than throughput, which a busy shared machine makes meaningless. Variants are
 * run in interleaved rounds on one PostgreSQL (A B C D, then D C B A), each a fresh
 * `node dist/src/main.js` child with its states warmed:
 *
 *   npm run build && node dist/bench/probes/role-all-cost.js [rate/s] [seconds] [rounds] [variants] [profileDir]
 *
 * `variants`: the names to run, comma-separated (e.g. `api warn,api info`; default all).
 * `profileDir`: a V8 CPU profile of each variant's timed part, `<variant>-<round>.cpuprofile` there.
 */
const PREFIX = 'bench-rc-';
const ACCOUNTS = 2_000;

const VARIANTS: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'api warn', env: { ROLE: 'api', LOG_LEVEL: 'warn' } },
  { name: 'api info', env: { ROLE: 'api', LOG_LEVEL: 'info' } },
  { name: 'all info', env: { ROLE: 'all', LOG_LEVEL: 'info' } },
  { name: 'all warn', env: { ROLE: 'all', LOG_LEVEL: 'warn' } },
];

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 40);
  const seconds = Number(process.argv[3] ?? 20);
  const rounds = Number(process.argv[4] ?? 2);
  const only = process.argv[5]?.split(',');
  const variants = only ? VARIANTS.filter((variant) => only.includes(variant.name)) : VARIANTS;
  if (variants.length === 0) throw new Error(`no variant named ${only?.join(', ')}`);
  const profileDir = process.argv[6];
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  const pg = await startBenchPostgres(log);
  try {
    const config = benchConfig(pg.connectionString);
    const database = await openBenchDatabase(config);
    const context: BenchContext = {
      settings: { ...QUICK, httpWarmupSec: 2, httpDurationSec: seconds },
      pg,
      config,
      database,
      probe: new ResourceProbe(pg.connectionString, pg.clusterDir),
      profiler: null,
      log,
    };
    await seedAccounts(database.pool, {
      prefix: PREFIX,
      count: ACCOUNTS,
      credits: FUNDED_CREDITS,
      spendsPerAccount: 0,
    });
    const rows: string[] = [];
    for (let round_ = 0; round_ < rounds; round_++) {
      const order = round_ % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const env = { ...benchEnv(pg.connectionString), NODE_ENV: 'production', ...variant.env };
        const service = await startServiceProcess({
          env,
          logFile: join(pg.dataDir, `${variant.name.replaceAll(' ', '-')}.log`),
          log,
          profileFile: profileDir
            ? join(profileDir, `${variant.name.replaceAll(' ', '-')}-${round_ + 1}.cpuprofile`)
            : undefined,
        });
        try {
          await warm(service);
          if (profileDir) service.toggleProfile();
          const result = await httpLoad(
            context,
            {
              name: variant.name,
              route: 'spends',
              body: { credits: 1, description: 'bench http spend' },
              target: '',
              met: () => true,
              baselines: {},
              notes: [],
            },
            {
              urls: [service.url],
              serverPids: [service.pid],
              accountPrefix: PREFIX,
              accounts: ACCOUNTS,
              rate,
              serverNote: variant.name,
            },
          );
          // The second toggle writes the profile: give the child a moment before stopping it.
          if (profileDir) {
            service.toggleProfile();
            await new Promise((resolve) => setTimeout(resolve, 2_000));
          }
          const resources = result.details.resources as {
            serverProcessesCpuPct: number;
            postgresCpuPct: number | null;
            writeTransactions: number;
            walBytes: number;
            machineCpuPct: number | null;
            tableRows: Record<string, TableRowCounts>;
            postgresCpuPctByName: Record<string, number> | null;
          };
          const perSecond = result.opsPerSec ?? 0;
          const perRequestUs = (pct: number | null) =>
            pct === null || perSecond === 0
              ? '–'
              : String(Math.round((pct / 100 / perSecond) * 1e6));
          const requests = perSecond * (result.details.seconds as number);
          const line = [
            `round ${round_ + 1}`,
            variant.name.padEnd(20),
            `${perSecond}/s`,
            `p50 ${result.p50Ms} p99 ${result.p99Ms} ms`,
            `server ${perRequestUs(resources.serverProcessesCpuPct)} µs/req`,
            `postgres ${perRequestUs(resources.postgresCpuPct)} µs/req`,
            `write tx/req ${round(resources.writeTransactions / Math.max(1, requests), 2)}`,
            `WAL B/req ${Math.round(resources.walBytes / Math.max(1, requests))}`,
            `machine ${resources.machineCpuPct}%`,
            `errors ${result.errors}`,
            `load ${loadavg()
              .map((value) => value.toFixed(1))
              .join(' ')}`,
          ].join(' | ');
          rows.push(
            line,
            `  rows/req: ${rowsPerRequest(resources.tableRows, requests)}`,
            `  postgres µs/req by client: ${Object.entries(resources.postgresCpuPctByName ?? {})
              .map(([name, pct]) => `${name} ${perRequestUs(pct)}`)
              .join(', ')}`,
          );
          log(line);
        } finally {
          await service.stop();
        }
      }
    }
    process.stdout.write(`${rows.join('\n')}\n`);
    await database.close();
  } finally {
    await pg.stop();
  }
}

/** e.g. `credit_blocks upd 1.00 (hot 0 %)`: what each table was written per request. */
function rowsPerRequest(tableRows: Record<string, TableRowCounts>, requests: number): string {
  const per = (count: number) => (count / Math.max(1, requests)).toFixed(2);
  return Object.entries(tableRows)
    .map(([table, counts]) => {
      const parts = [
        counts.inserted > 0 ? `ins ${per(counts.inserted)}` : '',
        counts.updated > 0
          ? `upd ${per(counts.updated)} (hot ${Math.round((counts.hotUpdated / counts.updated) * 100)} %)`
          : '',
        counts.deleted > 0 ? `del ${per(counts.deleted)}` : '',
      ];
      return `${table} ${parts.filter(Boolean).join(' ')}`;
    })
    .join('; ');
}

async function warm(service: ServiceProcess): Promise<void> {
  let next = 1;
  const worker = async () => {
    while (next <= ACCOUNTS) {
      const n = next++;
      const response = await fetch(`${service.url}/v1/accounts/${accountIdOf(PREFIX, n)}/balance`, {
        headers: { authorization: `Bearer ${BENCH_API_KEYS[n % BENCH_API_KEYS.length]}` },
      });
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
