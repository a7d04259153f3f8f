import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceProbe } from '../lib/bench-postgres';
import { BENCH_API_KEYS, type BenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import type { HttpRunSummary, RunnerMessage, RunRequest } from '../children/autocannon-runner';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';

export const SPEND_HTTP_TARGET = '≥ 3,000/s and p99 ≤ 50 ms';

/** What one HTTP scenario posts, and how it is judged. */
export interface HttpScenarioSpec {
  name: string;
  route: RunRequest['route'];
  body: unknown;
  target: string;
  met(opsPerSec: number, p99Ms: number): boolean;
  baselines: Record<string, number>;
  /** Said first in the result's notes (what was sent). */
  notes: string[];
  /** Shorter phases than the settings' (a discarded warm-up run). */
  seconds?: { warmup: number; duration: number };
  /** Fewer connections than the bench's load (quote-http's lighter phases); never a verdict's. */
  connections?: number;
}

/**
 * `spend-http`: POST /v1/accounts/{random account}/spends (JSON body, API key) against the same
 * app, now listening on loopback, from autocannon in a child process at a fixed connection count,
 * each request with one of the bench's API keys in turn (rate limits at their defaults).
 * opsPerSec = 2xx responses / duration; p50/p99 are autocannon's; non-2xx, socket errors and
 * timeouts are errors.
 */
export function spendHttp(
  context: BenchContext,
  bench: BenchApp,
  rawInsert: number | undefined,
): Promise<ScenarioResult> {
  return httpScenario(context, bench, {
    name: 'spend-http',
    route: 'spends',
    body: { credits: 1, description: 'bench http spend' },
    target: SPEND_HTTP_TARGET,
    met: (opsPerSec, p99) => opsPerSec >= 3_000 && p99 <= 50,
    baselines: rawInsert === undefined ? {} : { 'raw-insert': rawInsert },
    notes: [],
  });
}

/**
 * One HTTP scenario as spend-http runs it (the same load, the same measures): quote-http and
 * spend-by-operation-http post other bodies to other routes. The app listens once and stays
 * listening for the scenarios after it.
 */
export async function httpScenario(
  context: BenchContext,
  bench: BenchApp,
  spec: HttpScenarioSpec,
): Promise<ScenarioResult> {
  const { settings } = context;
  if (!bench.app.getHttpServer().listening) await bench.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = bench.app.getHttpServer().address() as AddressInfo;
  await context.probe.checkpoint();
  const child = fork(join(__dirname, '..', 'children', 'autocannon-runner.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const messages = messageQueue(child);
    const request: RunRequest = {
      kind: 'run',
      url: `http://127.0.0.1:${port}`,
      connections: spec.connections ?? settings.concurrency,
      warmupSec: spec.seconds?.warmup ?? settings.httpWarmupSec,
      durationSec: spec.seconds?.duration ?? settings.httpDurationSec,
      accountPrefix: ACCOUNT_PREFIX,
      accounts: settings.accounts,
      apiKeys: BENCH_API_KEYS,
      route: spec.route,
      body: JSON.stringify(spec.body),
    };
    const start = await context.probe.snapshot();
    child.send(request);
    const warmed = await messages.next();
    if (warmed.kind !== 'warmed')
      throw new Error(warmed.kind === 'failed' ? warmed.error : 'unexpected runner message');
    const before = await context.probe.snapshot();
    const timed = async () => {
      child.send({ kind: 'go' });
      return messages.next();
    };
    const done = context.profiler ? await context.profiler.around(spec.name, timed) : await timed();
    const after = await context.probe.snapshot();
    if (done.kind !== 'result')
      throw new Error(done.kind === 'failed' ? done.error : 'unexpected runner message');
    await sleep(1_200);
    const settled = await context.probe.snapshot();
    // As measurePhase: fsyncs from before the warm-up to a settle after the run, per request of both.
    const usage = {
      ...ResourceProbe.usage(before, after),
      walFsyncs: ResourceProbe.usage(start, settled).walFsyncs,
    };
    const result: HttpRunSummary = done.result;
    const opsPerSec = round(result.ok2xx / result.seconds, 1);
    const errors = result.non2xx + result.errors + result.timeouts;
    const p50 = result.autocannonLatency.p50;
    const p99 = result.autocannonLatency.p99;
    const total = result.ok2xx + result.non2xx;
    const withWarmup = total + warmed.warmup.ok2xx + warmed.warmup.non2xx;
    return {
      name: spec.name,
      opsPerSec,
      p50Ms: p50,
      p99Ms: p99,
      baselines: spec.baselines,
      available: true,
      target: { text: spec.target, met: spec.met(opsPerSec, p99) },
      errors,
      rejected: result.statusCodes['402'] ?? 0,
      notes: [
        ...spec.notes,
        `ROLE=api app over loopback HTTP, autocannon (child process) with ${spec.connections ?? settings.concurrency} connections, ${settings.accounts} accounts`,
        ...(errors > 0
          ? [
              `${errors} errors: status ${JSON.stringify(result.statusCodes)}, socket errors ${result.errors}, timeouts ${result.timeouts}`,
            ]
          : []),
      ],
      details: {
        seconds: result.seconds,
        statusCodes: result.statusCodes,
        socketErrors: result.errors,
        timeouts: result.timeouts,
        autocannonLatency: result.autocannonLatency,
        exactLatency: result.exactLatency,
        warmup: {
          seconds: warmed.warmup.seconds,
          ok2xx: warmed.warmup.ok2xx,
          non2xx: warmed.warmup.non2xx,
        },
        resources: {
          ...usage,
          walFsyncsPerOp:
            usage.walFsyncs === null || withWarmup === 0
              ? null
              : round(usage.walFsyncs / withWarmup, 3),
          writeTransactionsPerOp: total === 0 ? null : round(usage.writeTransactions / total, 3),
          walBytesPerOp: total === 0 ? null : round(usage.walBytes / total, 1),
          clientCpuPct: result.clientCpuPct,
          note: 'nodeCpuPct is the server process; clientCpuPct the autocannon process (same machine, same cores)',
        },
      },
    };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function messageQueue(child: ChildProcess): { next(): Promise<RunnerMessage> } {
  const queued: RunnerMessage[] = [];
  const waiting: Array<(message: RunnerMessage) => void> = [];
  const deliver = (message: RunnerMessage) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  };
  child.on('message', (message: RunnerMessage) => deliver(message));
  child.on('exit', (code) =>
    deliver({ kind: 'failed', error: `autocannon runner exited (${code})` }),
  );
  return {
    next: () =>
      new Promise((resolve) => {
        const message = queued.shift();
        if (message) resolve(message);
        else waiting.push(resolve);
      }),
  };
}
