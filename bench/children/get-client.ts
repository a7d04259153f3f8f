import { Agent, get } from 'node:http';
import { closedLoop, type LoopResult } from '../lib/closed-loop';

/**
 * A GET client in its own process, for scenarios whose answers are large (analytics-http: up to
 * 0.5 MB). In the bench's own process the client's work (receiving and decoding the body with
 * fetch) ran on the server's event loop and was counted in the server's latency. Driven over IPC:
 * each `ask` message runs `warmup` then `requests` GETs by `concurrency` keep-alive connections
 * and answers with the timed run's LoopResult.
 */
export interface GetRequest {
  kind: 'ask';
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  warmup: number;
  requests: number;
}

export type GetClientMessage =
  { kind: 'result'; result: LoopResult } | { kind: 'failed'; error: string };

/** The whole body read (as a client must), its bytes counted, nothing parsed. */
function getOnce(agent: Agent, request: GetRequest): Promise<'ok'> {
  return new Promise((resolve, reject) => {
    get(request.url, { agent, headers: request.headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        response.statusCode === 200 && bytes > 0
          ? resolve('ok')
          : reject(new Error(`${request.url}: ${response.statusCode}`)),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

async function ask(request: GetRequest): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: request.concurrency });
  try {
    const op = () => getOnce(agent, request);
    await closedLoop({ concurrency: request.concurrency, totalOps: request.warmup, op });
    return await closedLoop({ concurrency: request.concurrency, totalOps: request.requests, op });
  } finally {
    agent.destroy();
  }
}

process.on('message', (request: GetRequest) => {
  ask(request)
    .then((result) => process.send?.({ kind: 'result', result } satisfies GetClientMessage))
    .catch((error: unknown) =>
      process.send?.({ kind: 'failed', error: String(error) } satisfies GetClientMessage),
    );
});
process.on('disconnect', () => process.exit(0));
