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
  url: string;
  connections: number;
  warmupSec: number;
  durationSec: number;
  accountPrefix: string;
  accounts: number;
  /** Used in turn, request by request. */
  apiKeys: string[];
  /** The account route posted to: `/v1/accounts/{account}/{route}`. */
  route: 'spends' | 'quotes';
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
  return new Promise((resolve, reject) => {
    const exact = new LatencyRecorder();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        duration: durationSec,
        pipelining: 1,
        timeout: 10,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            body: request.body,
            setupRequest: (req) => {
              const n = 1 + Math.floor(Math.random() * request.accounts);
              sent += 1;
              const authorization = `Bearer ${request.apiKeys[sent % request.apiKeys.length]}`;
              return {
                ...req,
                headers: { ...req.headers, authorization },
                path: `/v1/accounts/${request.accountPrefix}${String(n).padStart(6, '0')}/${request.route}`,
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        const clientCpuPct = Math.round(
          ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
        );
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
          statusCodes[code] = stat.count;
        resolve({
          seconds: result.duration,
          ok2xx: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
          autocannonLatency: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            mean: result.latency.mean,
          },
          exactLatency: exact.summary(),
          clientCpuPct,
        });
      },
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
