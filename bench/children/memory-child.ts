import 'reflect-metadata';
import { AccountQueries } from '../../src/accounts/queries/account-queries';
import { AccountRepository } from '../../src/accounts/write-path/account-repository';
import { createApp } from '../../src/app/create-app';
import { benchConfig } from '../lib/bench-app';
import { closedLoop } from '../lib/closed-loop';
import { round } from '../lib/stats';
import { accountIdOf } from '../lib/seed';

/**
 * The `memory` scenario's subject: a fresh api process (this one, forked by the bench, run with
 * --expose-gc) that builds the real app against the bench's PostgreSQL and loads `accounts`
 * account states into its cache through AccountQueries.balance (the GET /balance path: cached
 * state + stream tail). Reports its RSS: sampled every 20 ms, and the kernel's high-water mark.
 */
export interface MemoryRequest {
  connectionString: string;
  accountPrefix: string;
  accounts: number;
  concurrency: number;
}

export interface MemoryReport {
  rssAfterStartMb: number;
  heapUsedAtStartMb: number;
  /** CPU of this process while loading, in % of one core. */
  loadCpuPct: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
  kernelMaxRssMb: number;
  rssAfterLoadMb: number;
  heapUsedAfterLoadMb: number;
  heapUsedAfterGcMb: number;
  rssAfterGcMb: number;
  cachedAccounts: number;
  cacheMaxEntries: number;
  loadSeconds: number;
  loadsPerSec: number;
  errors: number;
  errorSample: string | null;
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const collect = () => (globalThis as { gc?: () => void }).gc?.();

async function measure(request: MemoryRequest): Promise<MemoryReport> {
  const current = benchConfig(request.connectionString);
  const config = benchConfig(request.connectionString, {
    ACCOUNT_CACHE_MAX_ENTRIES: String(Math.max(current.accountCacheMaxEntries, request.accounts)),
  });
  const app = await createApp({ config });
  try {
    collect();
    const atStart = process.memoryUsage();
    const rssAfterStart = atStart.rss;
    const cpuBefore = process.cpuUsage();
    let sampledPeak = rssAfterStart;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
    }, 20);
    const queries = app.get(AccountQueries);
    const loaded = await closedLoop({
      concurrency: request.concurrency,
      totalOps: request.accounts,
      op: async (_worker, seq) => {
        await queries.balance(accountIdOf(request.accountPrefix, seq + 1));
        return 'ok';
      },
    });
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuBefore);
    const afterLoad = process.memoryUsage();
    sampledPeak = Math.max(sampledPeak, afterLoad.rss);
    const cachedAccounts = app.get(AccountRepository).cachedAccounts;
    collect();
    const afterGc = process.memoryUsage();
    const kernelMaxRss = process.resourceUsage().maxRSS * 1024;
    return {
      rssAfterStartMb: mb(rssAfterStart),
      heapUsedAtStartMb: mb(atStart.heapUsed),
      loadCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (loaded.seconds * 1000)) * 100),
      peakRssMb: mb(Math.max(sampledPeak, kernelMaxRss)),
      sampledPeakRssMb: mb(sampledPeak),
      kernelMaxRssMb: mb(kernelMaxRss),
      rssAfterLoadMb: mb(afterLoad.rss),
      heapUsedAfterLoadMb: mb(afterLoad.heapUsed),
      heapUsedAfterGcMb: mb(afterGc.heapUsed),
      rssAfterGcMb: mb(afterGc.rss),
      cachedAccounts,
      cacheMaxEntries: config.accountCacheMaxEntries,
      loadSeconds: loaded.seconds,
      loadsPerSec: loaded.opsPerSec,
      errors: loaded.errors,
      errorSample: loaded.errorSample,
    };
  } finally {
    await app.close();
  }
}

process.once('message', (request: MemoryRequest) => {
  measure(request)
    .then((report) => process.send?.({ kind: 'report', report }))
    .catch((error: unknown) =>
      process.send?.({
        kind: 'failed',
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    )
    .finally(() => process.disconnect?.());
});
