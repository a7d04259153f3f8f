import { shuffle, closedLoop } from '../lib/closed-loop';
import { spend, type BenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import { measurePhase } from '../lib/phase';
import { phaseDetails, type BaselineResult, type ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { accountIdOf } from '../lib/seed';
import { randomAccount } from './sql-baselines';

export const SPEND_INPROCESS_TARGET = '≥ 0.7× raw-group-append';
/** Issue 20: the storage ceiling for our event shape, with the service's grouping. */
const RAW_GROUP_APPEND_SHARE = 0.7;

/**
 * `spend-inprocess`: SpendCredits commands through the CommandBus of the real app
 * (ROLE=api), one credit each, on random accounts among the pre-funded ones, by `concurrency`
 * workers issuing commands back to back. The warm-up is one spend on every account in random
 * order, at the same concurrency: it fills the app's state cache (details.warmup).
 */
export async function spendInProcess(
  context: BenchContext,
  bench: BenchApp,
  baselines: BaselineResult[],
): Promise<ScenarioResult> {
  const { settings } = context;
  const accounts = shuffle(
    Array.from({ length: settings.accounts }, (_, i) => accountIdOf(ACCOUNT_PREFIX, i + 1)),
  );
  const phase = await measurePhase(context.probe, {
    concurrency: settings.concurrency,
    warmupMs: 0,
    durationMs: settings.durationMs,
    op: () => spend(bench.commandBus, randomAccount(settings.accounts)),
    profile: { profiler: context.profiler, name: 'spend-inprocess' },
    customWarmup: async () => {
      const fill = await closedLoop({
        concurrency: settings.concurrency,
        totalOps: accounts.length,
        op: (_worker, seq) => spend(bench.commandBus, accounts[seq]),
      });
      context.log(
        `  cache fill (the warm-up): ${fill.ok} first spends in ${fill.seconds} s (${fill.opsPerSec}/s, p50 ${fill.latency.p50Ms} ms)`,
      );
      return fill;
    },
  });
  const byName = new Map(baselines.map((baseline) => [baseline.name, baseline]));
  const raw = byName.get('raw-insert')?.opsPerSec;
  const emmett = byName.get('emmett')?.opsPerSec;
  const rawGroup = byName.get('raw-group-append')?.opsPerSec;
  const met = rawGroup === undefined ? null : phase.opsPerSec >= RAW_GROUP_APPEND_SHARE * rawGroup;
  // Issue 7's targets are floors now: reported, not the verdict.
  const floors =
    raw === undefined || emmett === undefined
      ? 'floors (≥ 1.0× raw-insert, ≥ 2× emmett): not judged (a baseline missing)'
      : `floors: ${round(phase.opsPerSec / raw, 2)}× raw-insert (≥ 1.0), ${round(phase.opsPerSec / emmett, 2)}× emmett (≥ 2)`;
  const groupSize =
    phase.resources.writeTransactionsPerOp && phase.resources.writeTransactionsPerOp > 0
      ? round(1 / phase.resources.writeTransactionsPerOp, 1)
      : null;
  return {
    name: 'spend-inprocess',
    opsPerSec: phase.opsPerSec,
    p50Ms: phase.latency.p50Ms,
    p99Ms: phase.latency.p99Ms,
    baselines: Object.fromEntries(baselines.map((baseline) => [baseline.name, baseline.opsPerSec])),
    available: true,
    target: { text: SPEND_INPROCESS_TARGET, met },
    errors: phase.errors,
    rejected: phase.rejected,
    notes: [
      `ROLE=api app, CommandBus, ${settings.concurrency} workers, ${settings.accounts} accounts, pool ${context.config.databasePoolMax}`,
      ...(rawGroup
        ? [
            `${round(phase.opsPerSec / rawGroup, 2)}× raw-group-append (target ≥ ${RAW_GROUP_APPEND_SHARE}); ≈ ${groupSize ?? '?'} spends per write transaction here`,
          ]
        : []),
      floors,
      ...(phase.errors > 0 ? [`${phase.errors} errors: ${JSON.stringify(phase.errorKinds)}`] : []),
    ],
    details: {
      ...phaseDetails(phase),
      ratios: {
        ...(rawGroup
          ? {
              vsRawGroupAppend: round(phase.opsPerSec / rawGroup, 2),
              target: RAW_GROUP_APPEND_SHARE,
            }
          : {}),
        ...(raw ? { vsRawInsert: round(phase.opsPerSec / raw, 2) } : {}),
        ...(emmett ? { vsEmmett: round(phase.opsPerSec / emmett, 2) } : {}),
        ...(byName.get('naive-row')
          ? { vsNaiveRow: round(phase.opsPerSec / byName.get('naive-row')!.opsPerSec, 2) }
          : {}),
      },
      baselineDetails: Object.fromEntries(
        baselines.map((baseline) => [
          baseline.name,
          {
            opsPerSec: baseline.opsPerSec,
            p50Ms: baseline.p50Ms,
            p99Ms: baseline.p99Ms,
            errors: baseline.errors,
            notes: baseline.notes,
            ...baseline.details,
          },
        ]),
      ),
    },
  };
}
