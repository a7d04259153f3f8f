import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  type CreatedEndpoint,
} from '../../src/notifications/commands/webhook-endpoint.commands';
import { WEBHOOK_EVENT_TYPES } from '../../src/notifications/webhooks/event-types';
import { benchConfig, startBenchApp } from '../lib/bench-app';
import type { BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { httpScenario } from './spend-http';

/** Issue 14: the spend path is not slowed by more than 5 % with one endpoint subscribed to everything. */
export const SPEND_HTTP_WEBHOOKS_TARGET =
  'no-endpoint ÷ one-endpoint ops/s ≤ 1.05 over alternating phases (ROLE=all: projectors, reactor, workers in the process)';
const OVERHEAD_LIMIT = 1.05;
const CATCH_UP_LIMIT_MS = 180_000;

/**
 * `spend-http-webhooks`: spend-http's load on an app in ROLE=all — the projectors, the
 * notifications reactor and the delivery worker in the same process as the API, sharing its CPU,
 * unlike the other scenarios' ROLE=api app — in four alternating phases: no endpoint, one endpoint
 * subscribed to every event type (a receiver on loopback answering 200), the same again, none.
 * Spends of 1 credit from funded accounts are mostly no message (only a crossing is), so what is
 * measured is the reactor folding every spend plus the outbox and deliveries of what crosses.
 * In ROLE=api (the other scenarios, and production's api replicas) the spend path does no
 * notification work at all: the reactor runs in the projector role.
 */
export async function spendHttpWebhooks(context: BenchContext): Promise<ScenarioResult> {
  let received = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const config = benchConfig(context.pg.connectionString, {
    ROLE: 'all',
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
  });
  const bench = await startBenchApp(config, context.database);
  try {
    context.log('  waiting for the projectors and the reactor to catch up with the log…');
    await caughtUp(context);
    const seconds = {
      warmup: 1,
      duration: Math.max(2, Math.round(context.settings.httpDurationSec / 3)),
    };
    const phase = (name: string) =>
      httpScenario(context, bench, {
        name,
        route: 'spends',
        body: { credits: 1, description: 'bench http spend' },
        target: '',
        met: () => false,
        baselines: {},
        notes: [],
        seconds,
      });
    const plainFirst = await phase('webhooks: no endpoint 1');
    const endpoint: CreatedEndpoint = await bench.commandBus.execute(
      new CreateWebhookEndpoint(url, [...WEBHOOK_EVENT_TYPES], 'bench: everything'),
    );
    const subscribedFirst = await phase('webhooks: one endpoint 1');
    const subscribed = await phase('webhooks: one endpoint 2');
    await bench.commandBus.execute(new DeleteWebhookEndpoint(endpoint.id));
    const plainSecond = await phase('webhooks: no endpoint 2');
    const plain = [plainFirst.opsPerSec ?? 0, plainSecond.opsPerSec ?? 0];
    const withEndpoint = [subscribedFirst.opsPerSec ?? 0, subscribed.opsPerSec ?? 0];
    const cost = round((plain[0] + plain[1]) / Math.max(1, withEndpoint[0] + withEndpoint[1]), 3);
    return {
      ...subscribed,
      name: 'spend-http-webhooks',
      baselines: { 'no endpoint': round((plain[0] + plain[1]) / 2, 0) },
      target: { text: SPEND_HTTP_WEBHOOKS_TARGET, met: cost <= OVERHEAD_LIMIT },
      notes: [
        `phases (none, one endpoint, one endpoint, none): ${plain[0]}, ${withEndpoint[0]}, ${withEndpoint[1]}, ${plain[1]}/s: ` +
          `with the endpoint a spend costs ${cost}× (the receiver got ${received} deliveries)`,
      ],
      details: { ...subscribed.details, costVsNoEndpoint: cost, plain, withEndpoint, received },
    };
  } finally {
    await bench.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

/** Until no projector's checkpoint moves for a second (the log replayed), at most CATCH_UP_LIMIT_MS. */
async function caughtUp(context: BenchContext): Promise<void> {
  const deadline = Date.now() + CATCH_UP_LIMIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const { rows } = await context.database.pool.query<{ state: string }>(
      `SELECT string_agg(projection || ':' || coalesce(position, ''), ',' ORDER BY projection) AS state
       FROM projection_checkpoints`,
    );
    const state = rows[0]?.state ?? '';
    if (state !== '' && state === last) return;
    last = state;
    await sleep(1_000);
  }
}
