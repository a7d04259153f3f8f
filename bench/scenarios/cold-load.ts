import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { spend, startBenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import { fullGc } from '../lib/gc';
import type { ScenarioResult } from '../lib/result';
import { round, summarize } from '../lib/stats';
import { accountIdOf, seedLongStream } from '../lib/seed';

export const COLD_LOAD_TARGET = 'p50 ≤ 50 ms (full run: a 1,000,000-event stream)';
const COLD_ACCOUNT = 'bench-cold';

/**
 * `cold-load`: the first spend on an account whose stream holds `coldStreamEvents` events (a grant
 * then one-credit spends, bulk-loaded), with nothing of it in the app's memory. Each trial starts
 * a NEW app instance (ROLE=api; so an empty state cache and whatever the app loads on demand),
 * primes it with one spend on a small account (so the first command's one-time costs are not
 * counted), then times one spend on the long account: load + decide + append. The first trial
 * (the account's first load ever, and the JIT's warm-up) is reported apart and not counted.
 * Between trials the app's background work on the shared pool finishes and a full GC runs, so no
 * trial pays for (or races with) the previous one. PostgreSQL's buffer cache is warm after the
 * first trial: this measures the service's cold path, not the disk's.
 */
export async function coldLoad(context: BenchContext): Promise<ScenarioResult> {
  const { settings } = context;
  const seedStarted = performance.now();
  await seedLongStream(context.database.pool, COLD_ACCOUNT, settings.coldStreamEvents);
  await context.database.pool.query('VACUUM ANALYZE events');
  const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
  context.log(
    `  seeded ${settings.coldStreamEvents} events into ${COLD_ACCOUNT} in ${seedSeconds} s`,
  );
  await context.probe.checkpoint();

  const timings: number[] = [];
  const startups: number[] = [];
  let warmupMs: number | null = null;
  for (let trial = 0; trial <= settings.coldTrials; trial++) {
    fullGc(); // the previous trial's app and its 100,000-event state are garbage now: not in the next timing
    const started = performance.now();
    const bench = await startBenchApp(context.config, context.database);
    startups.push(performance.now() - started);
    try {
      await spend(bench.commandBus, accountIdOf(ACCOUNT_PREFIX, 1 + trial));
      const t0 = performance.now();
      const timed = () => spend(bench.commandBus, COLD_ACCOUNT);
      const outcome =
        context.profiler && trial === 1
          ? await context.profiler.around('cold-load', timed)
          : await timed();
      const elapsed = performance.now() - t0;
      if (outcome !== 'ok') throw new Error(`cold spend was ${outcome}`);
      if (trial === 0) warmupMs = elapsed;
      else timings.push(elapsed);
    } finally {
      await bench.close();
    }
    // Whatever the app left running on the shared pool (e.g. writing a snapshot) finishes before
    // the next trial: each trial sees the previous one's effects complete, never half-done.
    await waitForIdlePool(context.database.pool);
  }
  const latency = summarize(timings);
  const totalSeconds = timings.reduce((sum, ms) => sum + ms, 0) / 1000;
  const firstLoad = warmupMs === null ? null : round(warmupMs, 1);
  return {
    name: 'cold-load',
    opsPerSec: totalSeconds > 0 ? round(timings.length / totalSeconds, 2) : null,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    baselines: {},
    available: true,
    target: { text: COLD_LOAD_TARGET, met: latency.p50Ms !== null && latency.p50Ms <= 50 },
    errors: 0,
    rejected: 0,
    notes: [
      `${settings.coldTrials} trials (+1 warm-up), a fresh ROLE=api app each; stream of ${settings.coldStreamEvents.toLocaleString('en-US')} events`,
      `the first load ever of that account (the warm-up trial, also JIT warm-up; not counted) took ${firstLoad} ms; later trials see whatever earlier ones left (e.g. a snapshot)`,
      ...(timings.length < 100 ? [`p99 of ${timings.length} trials is their maximum`] : []),
      'opsPerSec = cold spends per second, one after another',
    ],
    details: {
      streamEvents: settings.coldStreamEvents,
      trialsMs: timings.map((ms) => round(ms, 1)),
      firstLoadMs: firstLoad,
      latency,
      appStartupMs: summarize(startups),
      seedSeconds,
    },
  };
}

/** Until no query of the shared pool is in flight (nor waiting for a connection). */
async function waitForIdlePool(pool: Pool, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((pool.totalCount !== pool.idleCount || pool.waitingCount > 0) && Date.now() < deadline)
    await sleep(10);
}
