import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { BENCH_API_KEYS, type BenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import type { BaselineResult, ScenarioResult } from '../lib/result';
import { accountIdOf } from '../lib/seed';
import { httpLoad } from './spend-http';

const SPEND_BODY = { credits: 1, description: 'bench http spend' };

/**
 * `bare-http`: the HTTP ceiling of this machine for this client. A bare Fastify server in the
 * bench process (where the app runs for spend-http), one route at the spend's path, Fastify's own
 * JSON body parser, and as the answer a constant copy of a real spend answer (taken from the app
 * just before, so both directions carry the same bytes), under the same autocannon load (same
 * connections, same body, the Authorization header sent and ignored). No database, no Nest.
 */
export async function bareHttp(context: BenchContext, bench: BenchApp): Promise<BaselineResult> {
  const answer = await realSpendAnswer(bench);
  const server = Fastify({ bodyLimit: bench.config.bodyLimitBytes });
  server.post('/v1/accounts/:accountId/spends', (request, reply) => {
    // The parsed body is read, as a handler would.
    if ((request.body as { credits?: unknown } | null)?.credits === undefined)
      return reply.code(400).send({ error: 'no credits' });
    return reply.code(201).send(answer);
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = server.server.address() as AddressInfo;
    const result: ScenarioResult = await httpLoad(
      context,
      {
        name: 'bare-http',
        route: 'spends',
        body: SPEND_BODY,
        target: '',
        met: () => true,
        baselines: {},
        notes: [],
      },
      {
        urls: [`http://127.0.0.1:${port}`],
        serverPids: [],
        serverNote: `bare Fastify route in the bench process, answer of ${JSON.stringify(answer).length} bytes (a real spend answer)`,
      },
    );
    return {
      name: 'bare-http',
      opsPerSec: result.opsPerSec ?? 0,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      errors: result.errors ?? 0,
      notes: result.notes,
      details: result.details,
    };
  } finally {
    await server.close();
  }
}

async function realSpendAnswer(bench: BenchApp): Promise<unknown> {
  const response = await bench.app.inject({
    method: 'POST',
    url: `/v1/accounts/${accountIdOf(ACCOUNT_PREFIX, 1)}/spends`,
    headers: { authorization: `Bearer ${BENCH_API_KEYS[0]}`, 'content-type': 'application/json' },
    payload: JSON.stringify(SPEND_BODY),
  });
  if (response.statusCode !== 201)
    throw new Error(`a sample spend answered ${response.statusCode}: ${response.body}`);
  return JSON.parse(response.body) as unknown;
}
