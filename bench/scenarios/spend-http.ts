import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceProbe } from '../lib/bench-postgres';
import { BENCH_API_KEYS, type BenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import type { HttpRunSummary, RunnerMessage, RunRequest } from '../children/autocannon-runner';
import type { BaselineResult, ScenarioResult } from '../lib/result';
import { ProcessCpu } from '../lib/process-cpu';
import { round } from '../lib/stats';

export const SPEND_HTTP_TARGET = '≥ 5,000/s with p99 ≤ 25 ms, or ≥ 0.4× bare-http';
export const CHECK_HTTP_TARGET = 'p99 ≤ 10 ms';
const BARE_HTTP_SHARE = 0.4;

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
    // Judged again once bare-http ran (judgeSpendHttp): either half of the target will do.
    met: (opsPerSec, p99) => opsPerSec >= 5_000 && p99 <= 25,
    baselines: rawInsert === undefined ? {} : { 'raw-insert': rawInsert },
    notes: [],
  });
}

/** spend-http against the HTTP ceiling measured right after it (bare-http), in the JSON. */
export function judgeSpendHttp(scenario: ScenarioResult, bare: BaselineResult | null): void {
  if (!scenario.available || scenario.opsPerSec === null) return;
  const absolute = scenario.opsPerSec >= 5_000 && (scenario.p99Ms ?? Infinity) <= 25;
  if (!bare || bare.opsPerSec <= 0) {
    scenario.target.met = absolute ? true : null;
    return;
  }
  const ratio = round(scenario.opsPerSec / bare.opsPerSec, 2);
  scenario.baselines['bare-http'] = bare.opsPerSec;
  scenario.details.ratios = { vsBareHttp: ratio, target: BARE_HTTP_SHARE };
  scenario.details.baselineDetails = {
    'bare-http': {
      opsPerSec: bare.opsPerSec,
      p50Ms: bare.p50Ms,
      p99Ms: bare.p99Ms,
      errors: bare.errors,
      notes: bare.notes,
      ...bare.details,
    },
  };
  scenario.target.met = absolute || ratio >= BARE_HTTP_SHARE;
  scenario.notes.push(
    `${ratio}× bare-http (${bare.opsPerSec}/s, p99 ${bare.p99Ms} ms) measured right after; ≥ 5,000/s with p99 ≤ 25 ms: ${absolute ? 'yes' : 'no'}`,
  );
}

/**
 * `check-http`: POST /v1/accounts/{random account}/check `{ credits: 1 }` (a strongly consistent
 * read of the account, writes nothing), same app and load as spend-http, right after it.
 */
export function checkHttp(context: BenchContext, bench: BenchApp): Promise<ScenarioResult> {
  return httpScenario(context, bench, {
    name: 'check-http',
    route: 'check',
    body: { credits: 1 },
    target: CHECK_HTTP_TARGET,
    met: (_opsPerSec, p99) => p99 <= 10,
    baselines: {},
    notes: [],
  });
}

/** Where an HTTP load goes, when the server is not the bench's in-process app. */
export interface HttpTarget {
  urls: string[];
  /** Server processes other than the bench's own (children): their CPU is counted as the server's. */
  serverPids: number[];
  /** Accounts `prefix000001…`; the settings' ACCOUNT_PREFIX and count by default. */
  accountPrefix?: string;
  accounts?: number;
  /** A fixed request rate (open loop) instead of the closed loop (bench/probes/role-all-cost.ts). */
  rate?: number;
  /** No API key (bare-http's route has no authentication). */
  anonymous?: boolean;
  /** Said in the notes instead of the in-process app's sentence. */
  serverNote: string;
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
  if (!bench.app.getHttpServer().listening) await bench.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = bench.app.getHttpServer().address() as AddressInfo;
  return httpLoad(context, spec, {
    urls: [`http://127.0.0.1:${port}`],
    serverPids: [],
    serverNote: `ROLE=api app over loopback HTTP, autocannon (child process) with ${context.settings.concurrency} connections, ${context.settings.accounts} accounts`,
  });
}

/** The same autocannon load and measures against any server(s): in process, children, bare Fastify. */
export async function httpLoad(
  context: BenchContext,
  spec: HttpScenarioSpec,
  target: HttpTarget,
): Promise<ScenarioResult> {
  const { settings } = context;
  await context.probe.checkpoint();
  const child = fork(join(__dirname, '..', 'children', 'autocannon-runner.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const servers = new ProcessCpu(target.serverPids);
  try {
    const messages = messageQueue(child);
    const request: RunRequest = {
      kind: 'run',
      urls: target.urls,
      connections: spec.connections ?? settings.concurrency,
      warmupSec: spec.seconds?.warmup ?? settings.httpWarmupSec,
      durationSec: spec.seconds?.duration ?? settings.httpDurationSec,
      accountPrefix: target.accountPrefix ?? ACCOUNT_PREFIX,
      accounts: target.accounts ?? settings.accounts,
      apiKeys: BENCH_API_KEYS,
      route: spec.route,
      body: JSON.stringify(spec.body),
      anonymous: target.anonymous,
      rate: target.rate,
    };
    const start = await context.probe.snapshot();
    child.send(request);
    const warmed = await messages.next();
    if (warmed.kind !== 'warmed')
      throw new Error(warmed.kind === 'failed' ? warmed.error : 'unexpected runner message');
    const before = await context.probe.snapshot();
    const serversBefore = servers.sample();
    const timed = async () => {
      child.send({ kind: 'go' });
      return messages.next();
    };
    const done = context.profiler ? await context.profiler.around(spec.name, timed) : await timed();
    const after = await context.probe.snapshot();
    const serverCpuPct = servers.pctSince(serversBefore);
    if (done.kind !== 'result')
      throw new Error(done.kind === 'failed' ? done.error : 'unexpected runner message');
    await sleep(1_200);
    const settled = await context.probe.snapshot();
    // As measurePhase: fsyncs from before the warm-up to a settle after the run, per request of both.
    const usage = {
      ...ResourceProbe.usage(before, after),
      walFsyncs: ResourceProbe.usage(start, settled).walFsyncs,
    };
    const benchCpuPct = usage.nodeCpuPct;
    // The server's CPU is what "node CPU %" means in the report: with child servers, theirs too.
    if (serverCpuPct !== null) usage.nodeCpuPct += serverCpuPct;
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
        target.serverNote,
        ...(spec.connections === undefined
          ? []
          : [
              `this phase: ${spec.connections} connections, not the bench's ${settings.concurrency}`,
            ]),
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
          ...(serverCpuPct !== null ? { benchCpuPct, serverProcessesCpuPct: serverCpuPct } : {}),
          note:
            serverCpuPct === null
              ? 'nodeCpuPct is the server process; clientCpuPct the autocannon process (same machine, same cores)'
              : 'nodeCpuPct is the bench process plus the server processes (serverProcessesCpuPct); clientCpuPct the autocannon process',
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
