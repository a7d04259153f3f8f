import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { LatencyRecorder, type LatencySummary } from '../lib/stats';

/**
 * The HTTP load generator, in its own process (as a real client would be) so that it does not
 * share the server's event loop. Driven by the bench over IPC: `run` → warm-up → `warmed` →
 * (the bench reads its counters) `go` → timed run → `result`.
 */
export interface RunRequest {
  kind: 'run';
  /** One server, or several (two-replicas): the connections are split evenly between them. */
  urls: string[];
  connections: number;
  warmupSec: number;
  durationSec: number;
  accountPrefix: string;
  accounts: number;
  /** Used in turn, request by request. */
  apiKeys: string[];
  /** The account route posted to: `/v1/accounts/{account}/{route}`. */
  route: 'spends' | 'quotes' | 'check';
  /** A fixed rate (requests per second, all servers together) instead of a closed loop. */
  rate?: number;
  /** Without the API key header (bare-http: a route with no authentication). */
  anonymous?: boolean;
  /** The JSON body of every request. */
  body: string;
}

export interface HttpRunSummary {
  seconds: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** autocannon's own percentiles (HdrHistogram, whole milliseconds). */
  autocannonLatency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Every response's exact time (autocannon's hrtime per request), for comparison. */
  exactLatency: LatencySummary;
  /** CPU of this load-generator process, in % of one core: what the server could not use. */
  clientCpuPct: number;
}

export type RunnerMessage =
  | { kind: 'warmed'; warmup: HttpRunSummary }
  | { kind: 'result'; result: HttpRunSummary }
  | { kind: 'failed'; error: string };

let sent = 0;

function runOnce(request: RunRequest, durationSec: number): Promise<HttpRunSummary> {
  const exact = new LatencyRecorder();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const share = (index: number) =>
    Math.floor(request.connections / request.urls.length) +
    (index < request.connections % request.urls.length ? 1 : 0);
  return Promise.all(
    request.urls.map((url, index) => runInstance(request, url, share(index), durationSec, exact)),
  ).then((results) => {
    const cpu = process.cpuUsage(cpuBefore);
    const clientCpuPct = Math.round(
      ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
    );
    const statusCodes: Record<string, number> = {};
    for (const result of results)
      for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
        statusCodes[code] = (statusCodes[code] ?? 0) + stat.count;
    const exactLatency = exact.summary();
    const sum = (pick: (result: autocannon.Result) => number) =>
      results.reduce((total, result) => total + pick(result), 0);
    // One server: autocannon's own histogram, as before. Several: their histograms cannot be
    // merged, so the exact per-response times stand in (whole milliseconds, as autocannon's).
    const latency =
      results.length === 1
        ? {
            p50: results[0].latency.p50,
            p90: results[0].latency.p90,
            p99: results[0].latency.p99,
            max: results[0].latency.max,
            mean: results[0].latency.mean,
          }
        : {
            p50: Math.round(exactLatency.p50Ms ?? 0),
            p90: Math.round(exactLatency.p90Ms ?? 0),
            p99: Math.round(exactLatency.p99Ms ?? 0),
            max: Math.round(exactLatency.maxMs ?? 0),
            mean: exactLatency.meanMs ?? 0,
          };
    return {
      seconds: Math.max(...results.map((result) => result.duration)),
      ok2xx: sum((result) => result['2xx']),
      non2xx: sum((result) => result.non2xx),
      errors: sum((result) => result.errors),
      timeouts: sum((result) => result.timeouts),
      statusCodes,
      autocannonLatency: latency,
      exactLatency,
      clientCpuPct,
    };
  });
}

function runInstance(
  request: RunRequest,
  url: string,
  connections: number,
  durationSec: number,
  exact: LatencyRecorder,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationSec,
        pipelining: 1,
        ...(request.rate
          ? { overallRate: Math.max(1, Math.round(request.rate / request.urls.length)) }
          : {}),
        timeout: 10,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            body: request.body,
            setupRequest: (req) => {
              const n = 1 + Math.floor(Math.random() * request.accounts);
              sent += 1;
              const path = `/v1/accounts/${request.accountPrefix}${String(n).padStart(6, '0')}/${request.route}`;
              if (request.anonymous) return { ...req, path };
              const authorization = `Bearer ${request.apiKeys[sent % request.apiKeys.length]}`;
              return { ...req, headers: { ...req.headers, authorization }, path };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on(
      'response',
      (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        exact.record(responseTime),
    );
  });
}

function send(message: RunnerMessage): void {
  process.send?.(message);
}

let pending: RunRequest | null = null;
process.on('message', (message: RunRequest | { kind: 'go' }) => {
  if (message.kind === 'run') {
    pending = message;
    runOnce(message, message.warmupSec)
      .then((warmup) => send({ kind: 'warmed', warmup }))
      .catch((error: unknown) => send({ kind: 'failed', error: String(error) }));
  } else if (message.kind === 'go' && pending) {
    runOnce(pending, pending.durationSec)
      .then((result) => send({ kind: 'result', result }))
      .catch((error: unknown) => send({ kind: 'failed', error: String(error) }))
      .finally(() => process.disconnect?.());
  }
});
