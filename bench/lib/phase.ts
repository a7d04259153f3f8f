import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceProbe, type ResourceUsage } from './bench-postgres';
import { closedLoop, type LoopResult, type OpOutcome } from './closed-loop';
import { fullGc } from './gc';
import type { Profiler } from './profiler';
import { round } from './stats';

/** Backends publish their I/O statistics at most once a second: wait that long before reading them. */
const STATS_SETTLE_MS = 1_200;

export interface PhaseOptions {
  concurrency: number;
  /** Untimed, same load, same concurrency: JIT, pool connections, caches, PostgreSQL buffers. */
  warmupMs: number;
  durationMs: number;
  op: (worker: number, seq: number) => Promise<OpOutcome>;
  /** Replaces the timed-op warm-up (e.g. one first spend on every account: a cache fill). */
  customWarmup?: () => Promise<LoopResult>;
  /** With --profile: the CPU profile of the timed part is saved under this name. */
  profile?: { profiler: Profiler | null; name: string };
}

export interface PhaseResult extends LoopResult {
  warmup: {
    ok: number;
    errors: number;
    seconds: number;
    opsPerSec?: number;
    latency?: LoopResult['latency'];
  };
  resources: ResourceUsage & {
    /** walFsyncs counts the warm-up too (see measurePhase); walFsyncsPerOp divides accordingly. */
    writeTransactionsPerOp: number | null;
    walBytesPerOp: number | null;
    walFsyncsPerOp: number | null;
  };
}

/**
 * Warm up, then measure. CPU, write transactions and WAL bytes are read around the timed part
 * only; WAL fsyncs (published by each backend up to a second late) from before the warm-up to a
 * settle after the timed part, per operation of both.
 */
export async function measurePhase(
  probe: ResourceProbe,
  options: PhaseOptions,
): Promise<PhaseResult> {
  await probe.checkpoint();
  fullGc();
  const start = await probe.snapshot();
  const warmup = options.customWarmup
    ? await options.customWarmup()
    : options.warmupMs > 0
      ? await closedLoop({
          concurrency: options.concurrency,
          durationMs: options.warmupMs,
          op: options.op,
        })
      : null;
  const before = await probe.snapshot();
  const timed = () =>
    closedLoop({
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      op: options.op,
    });
  const profiler = options.profile?.profiler;
  const result = profiler ? await profiler.around(options.profile!.name, timed) : await timed();
  const after = await probe.snapshot();
  await sleep(STATS_SETTLE_MS);
  const settled = await probe.snapshot();
  const usage = ResourceProbe.usage(before, after);
  const done = result.ok + result.rejected + result.errors;
  const warmupDone = warmup ? warmup.ok + warmup.rejected + warmup.errors : 0;
  usage.walFsyncs = ResourceProbe.usage(start, settled).walFsyncs;
  const perOp = (value: number | null) =>
    value === null || done === 0 ? null : round(value / done, 3);
  return {
    ...result,
    warmup: {
      ok: warmup?.ok ?? 0,
      errors: warmup?.errors ?? 0,
      seconds: warmup?.seconds ?? 0,
      ...(warmup ? { opsPerSec: warmup.opsPerSec, latency: warmup.latency } : {}),
    },
    resources: {
      ...usage,
      writeTransactionsPerOp: perOp(usage.writeTransactions),
      walBytesPerOp: perOp(usage.walBytes),
      walFsyncsPerOp:
        usage.walFsyncs === null || done + warmupDone === 0
          ? null
          : round(usage.walFsyncs / (done + warmupDone), 3),
    },
  };
}
