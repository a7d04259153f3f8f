import { performance } from 'node:perf_hooks';
import { LatencyRecorder, round, type LatencySummary } from './stats';

/** What one operation ended as: done, or refused by the ledger (a 402: insufficient credits). */
export type OpOutcome = 'ok' | 'rejected';

export interface LoopOptions {
  /** Workers, each issuing its next operation as soon as the previous one settles. */
  concurrency: number;
  /** Stop issuing new operations after this long (in-flight ones finish and count). */
  durationMs?: number;
  /** Or: stop after this many operations in total (sequence numbers 0 … totalOps-1). */
  totalOps?: number;
  /** One operation; `seq` is a run-wide sequence number. Throwing counts as an error. */
  op: (worker: number, seq: number) => Promise<OpOutcome>;
}

export interface LoopResult {
  ok: number;
  rejected: number;
  errors: number;
  /** Errors by name (or code), for the report. */
  errorKinds: Record<string, number>;
  errorSample: string | null;
  seconds: number;
  /** Successful operations per second of wall time (first start to last completion). */
  opsPerSec: number;
  /** Latencies of every operation that completed (ok or rejected), errors excluded. */
  latency: LatencySummary;
}

/**
 * A closed-loop load: `concurrency` async workers, each running operations back to back. The
 * clock runs from the first start to the last completion, so operations still in flight at the
 * deadline finish and count (no truncated tail).
 */
export async function closedLoop(options: LoopOptions): Promise<LoopResult> {
  const latencies = new LatencyRecorder();
  const errorKinds: Record<string, number> = {};
  let errorSample: string | null = null;
  let ok = 0;
  let rejected = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const total = options.totalOps ?? Infinity;
  if (deadline === Infinity && total === Infinity)
    throw new Error('closedLoop needs durationMs or totalOps');

  const worker = async (index: number): Promise<void> => {
    for (;;) {
      if (performance.now() >= deadline) return;
      const seq = next++;
      if (seq >= total) return;
      const t0 = performance.now();
      try {
        const outcome = await options.op(index, seq);
        latencies.record(performance.now() - t0);
        if (outcome === 'ok') ok += 1;
        else rejected += 1;
      } catch (error) {
        errors += 1;
        const kind = errorKind(error);
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        errorSample ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  return {
    ok,
    rejected,
    errors,
    errorKinds,
    errorSample,
    seconds: round(seconds, 3),
    opsPerSec: round(ok / seconds, 1),
    latency: latencies.summary(),
  };
}

function errorKind(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code.length > 0)
      return `${typeof name === 'string' ? name : 'Error'}(${code})`;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], random: () => number = Math.random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export function randomInt(bound: number): number {
  return Math.floor(Math.random() * bound);
}
