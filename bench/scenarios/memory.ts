import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MemoryReport, MemoryRequest } from '../children/memory-child';
import type { BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { seedAccounts } from '../lib/seed';

export const MEMORY_TARGET = 'peak RSS ≤ 250 MB';
const MEMORY_LIMIT_MB = 250;
const MEMORY_PREFIX = 'bench-mem-';

/**
 * `memory`: peak RSS of a fresh api process holding `memoryAccounts` account states in its cache.
 * The accounts are bulk-loaded first (a grant and `memorySpendsPerAccount` spends each), then a
 * forked process (bench/children/memory-child.ts) builds the app and reads every account's
 * balance once. opsPerSec is null (not a throughput scenario).
 */
export async function memory(context: BenchContext): Promise<ScenarioResult> {
  const { settings } = context;
  const seedStarted = performance.now();
  const events = await seedAccounts(context.database.pool, {
    prefix: MEMORY_PREFIX,
    count: settings.memoryAccounts,
    credits: 1_000,
    spendsPerAccount: settings.memorySpendsPerAccount,
  });
  await context.database.pool.query('VACUUM ANALYZE events');
  await context.database.pool.query('VACUUM ANALYZE streams');
  const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
  context.log(
    `  seeded ${settings.memoryAccounts} accounts (${events} events) in ${seedSeconds} s`,
  );
  const report = await runChild({
    connectionString: context.pg.connectionString,
    accountPrefix: MEMORY_PREFIX,
    accounts: settings.memoryAccounts,
    concurrency: settings.concurrency,
  });
  const complete = report.cachedAccounts >= settings.memoryAccounts && report.errors === 0;
  const judged = settings.memoryAccounts >= settings.memoryTargetAccounts;
  const perStateKb = round(
    ((report.rssAfterGcMb - report.rssAfterStartMb) * 1024) / settings.memoryAccounts,
    2,
  );
  const heapPerStateKb = round(
    ((report.heapUsedAfterGcMb - report.heapUsedAtStartMb) * 1024) / settings.memoryAccounts,
    2,
  );
  return {
    name: 'memory',
    opsPerSec: null,
    p50Ms: null,
    p99Ms: null,
    baselines: {},
    available: true,
    target: {
      text: MEMORY_TARGET,
      met: !complete ? false : judged ? report.peakRssMb <= MEMORY_LIMIT_MB : null,
    },
    errors: report.errors,
    rejected: null,
    peakRssMb: report.peakRssMb,
    notes: [
      `fresh ROLE=api process, ${report.cachedAccounts.toLocaleString('en-US')} account states cached (${settings.memorySpendsPerAccount + 1} events each)`,
      `≈ ${perStateKb} KB of RSS (${heapPerStateKb} KB of heap) per cached state, after a full GC`,
      ...(judged
        ? []
        : [
            `${settings.mode} mode: ${settings.memoryAccounts.toLocaleString('en-US')} states, not the ${settings.memoryTargetAccounts.toLocaleString('en-US')} of the target: judged in full runs (\`npm run bench -- --only=memory\`)`,
          ]),
      ...(complete
        ? []
        : [
            `only ${report.cachedAccounts} states cached, ${report.errors} errors: ${report.errorSample ?? ''}`,
          ]),
    ],
    details: {
      ...report,
      eventsPerAccount: settings.memorySpendsPerAccount + 1,
      seedSeconds,
      perStateRssKb: perStateKb,
      perStateHeapKb: heapPerStateKb,
    },
  };
}

function runChild(request: MemoryRequest): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'children', 'memory-child.js'), [], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on(
      'message',
      (message: { kind: 'report'; report: MemoryReport } | { kind: 'failed'; error: string }) => {
        settled = true;
        if (message.kind === 'report') resolve(message.report);
        else reject(new Error(message.error));
      },
    );
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`memory child exited with ${code} before reporting`));
    });
    child.send(request);
  });
}
