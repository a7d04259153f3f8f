import { grant, spend, type BenchApp } from '../lib/bench-app';
import type { BenchContext } from '../lib/context';
import { measurePhase } from '../lib/phase';
import { phaseDetails, type ScenarioResult } from '../lib/result';

export const HOT_ACCOUNT_TARGET = '≥ 1,000/s, no errors besides 402';
const HOT_ACCOUNT = 'bench-hot';

/**
 * `hot-account`: `concurrency` workers spending one credit each, back to back, all on ONE account
 * (granted 10^12 credits first, through the command bus). A 402 would be a refusal, not an
 * error; anything else (conflicts exhausted, queue full, …) is an error.
 */
export async function hotAccount(
  context: BenchContext,
  bench: BenchApp,
  rawInsert: number | undefined,
): Promise<ScenarioResult> {
  const { settings } = context;
  await grant(bench.commandBus, HOT_ACCOUNT, 1_000_000_000_000);
  const phase = await measurePhase(context.probe, {
    concurrency: settings.concurrency,
    warmupMs: settings.hotWarmupMs,
    durationMs: settings.hotDurationMs,
    op: () => spend(bench.commandBus, HOT_ACCOUNT),
    profile: { profiler: context.profiler, name: 'hot-account' },
  });
  return {
    name: 'hot-account',
    opsPerSec: phase.opsPerSec,
    p50Ms: phase.latency.p50Ms,
    p99Ms: phase.latency.p99Ms,
    baselines: rawInsert === undefined ? {} : { 'raw-insert': rawInsert },
    available: true,
    target: { text: HOT_ACCOUNT_TARGET, met: phase.opsPerSec >= 1_000 && phase.errors === 0 },
    errors: phase.errors,
    rejected: phase.rejected,
    notes: [
      `ROLE=api app, CommandBus, ${settings.concurrency} workers on one account`,
      ...(phase.errors > 0 ? [`${phase.errors} errors: ${JSON.stringify(phase.errorKinds)}`] : []),
    ],
    details: phaseDetails(phase),
  };
}
