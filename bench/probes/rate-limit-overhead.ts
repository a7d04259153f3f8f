import 'reflect-metadata';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config';
import { ApiKeyAuthenticator } from '../../src/http/auth/api-key-authenticator';
import { authenticationHook } from '../../src/http/auth/authentication.hook';
import { CustomerTokens } from '../../src/http/auth/customer-tokens';
import { handleUnreadBody } from '../../src/http/errors/unread-body';
import { RateLimits } from '../../src/http/rate-limits/rate-limits';
import { SystemClock } from '../../src/shared/clock';

/**
 * CPU per request of the per-key write limit alone (issue 11): the same Fastify route (the
 * authentication hook, a JSON body, x-request-id, the unread-body check) with and without the
 * limiter, driven by inject, 7 interleaved rounds of 30,000. CPU time, not wall time, so other
 * processes on a busy machine skew it less than spend-http does. Run:
 *
 *   npm run build && node dist/bench/probes/rate-limit-overhead.js [writes per second per key]
 *
 * The default limit is far above what the loop sends, so every request is counted, none refused.
 */
const keys = Array.from({ length: 8 }, (_, index) => `bench-secret-key-${index}`);
const env = {
  LEDGER_API_KEYS: keys.map((key, index) => `k${index}:${key}:spend`).join(','),
  RATE_LIMIT_WRITES_PER_SECOND_PER_KEY: process.argv[2] ?? '1000000',
  CUSTOMER_TOKEN_SECRET: 'bench-customer-token-secret-0123456789',
};

async function build(withLimits: boolean): Promise<FastifyInstance> {
  const config = loadConfig(env);
  const fastify = Fastify();
  fastify.decorateRequest('principal', null);
  const limits = new RateLimits(config, new SystemClock());
  if (withLimits) await limits.install(fastify);
  const customerTokens = CustomerTokens.fromConfig(config, new SystemClock());
  fastify.addHook(
    'onRequest',
    authenticationHook(new ApiKeyAuthenticator(config.apiKeys), customerTokens, limits),
  );
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    handleUnreadBody(request, reply);
    done(null, payload);
  });
  fastify.post('/v1/accounts/:accountId/spends', { config: { write: true } as object }, () =>
    Promise.resolve({ spendId: 'spend_1', credits: 1 }),
  );
  await fastify.ready();
  return fastify;
}

async function measure(
  fastify: FastifyInstance,
  requests: number,
): Promise<{ cpuUs: number; statuses: Record<number, number> }> {
  const payload = JSON.stringify({ credits: 1, description: 'bench http spend' });
  const statuses: Record<number, number> = {};
  const cpu = process.cpuUsage();
  for (let index = 0; index < requests; index += 1) {
    const response = await fastify.inject({
      method: 'POST',
      url: `/v1/accounts/acc-${index % 10_000}/spends`,
      payload,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${keys[index % keys.length]}`,
      },
    });
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
  }
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / requests, statuses };
}

async function main(): Promise<void> {
  const without = await build(false);
  const withLimits = await build(true);
  await measure(without, 20_000);
  await measure(withLimits, 20_000);
  const results: Record<string, number[]> = { without: [], with: [] };
  for (let round = 0; round < 7; round += 1) {
    for (const [name, app] of [
      ['without', without],
      ['with', withLimits],
    ] as const) {
      const { cpuUs, statuses } = await measure(app, 30_000);
      results[name].push(cpuUs);
      if (round === 0) console.log(name, JSON.stringify(statuses));
    }
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    JSON.stringify({
      withoutUs: results.without.map((v) => +v.toFixed(1)),
      withUs: results.with.map((v) => +v.toFixed(1)),
      medianWithoutUs: +median(results.without).toFixed(1),
      medianWithUs: +median(results.with).toFixed(1),
      overheadUs: +(median(results.with) - median(results.without)).toFixed(1),
      // The least disturbed round of each: what the code costs when nothing else runs.
      minWithoutUs: +Math.min(...results.without).toFixed(1),
      minWithUs: +Math.min(...results.with).toFixed(1),
    }),
  );
  await without.close();
  await withLimits.close();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
