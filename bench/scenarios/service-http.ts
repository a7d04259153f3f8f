import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_API_KEYS, benchEnv } from '../lib/bench-app';
import { FUNDED_CREDITS, type BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { accountIdOf, seedAccounts } from '../lib/seed';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import { round } from '../lib/stats';
import { httpLoad, type HttpScenarioSpec } from './spend-http';

export const DEFAULT_START_TARGET = '≥ 0.7× spend-http';
export const TWO_REPLICAS_TARGET = 'reported: two ÷ one api process (no target)';
const DEFAULT_START_RATIO = 0.7;

/** Accounts of their own: the in-process app's cached states never see these scenarios' writes. */
const DEFAULT_START_PREFIX = 'bench-ds-';
const REPLICAS_PREFIX = 'bench-tr-';
const SPEND_BODY = { credits: 1, description: 'bench http spend' };
const WARM_CONCURRENCY = 32;

/**
 * `default-start`: spends over HTTP against the service exactly as `npm start` runs it — the
 * compiled `dist/src/main.js` in its own process, with no ROLE, LOG_LEVEL or NODE_ENV set (every
 * role in one process: API, projector with every projection and reactor, expiry worker; request
 * logs at info, written to a file as a log collector would take stdout). Only what the bench
 * needs is set: its PostgreSQL (DATABASE_URL) and its API keys. Before the load: the projector
 * catches up with the log as it is, and every account's state is loaded (a balance read each), so
 * the timed phase measures the steady state, with the projector and reactors following the spends.
 */
export async function defaultStart(context: BenchContext): Promise<ScenarioResult> {
  const env = benchEnv(context.pg.connectionString);
  delete env.ROLE;
  delete env.LOG_LEVEL;
  delete env.NODE_ENV;
  delete env.CUSTOMER_TOKEN_SECRET;
  return serviceScenario(context, {
    name: 'default-start',
    prefix: DEFAULT_START_PREFIX,
    env,
    spec: {
      name: 'default-start',
      route: 'spends',
      body: SPEND_BODY,
      target: DEFAULT_START_TARGET,
      // Judged against spend-http once both ran (judgeDefaultStart).
      met: () => false,
      baselines: {},
      notes: [],
    },
    describe: (service) =>
      `npm start's process (node dist/src/main.js, ROLE=all, LOG_LEVEL=info, NODE_ENV unset) on the bench's PostgreSQL, request logs to ${service.logFile}`,
  });
}

/** default-start ÷ spend-http, in the JSON next to the target. */
export function judgeDefaultStart(
  scenario: ScenarioResult,
  spendHttp: ScenarioResult | undefined,
): void {
  if (!scenario.available) return;
  if (!spendHttp?.available || !spendHttp.opsPerSec || scenario.opsPerSec === null) {
    scenario.target.met = null;
    scenario.notes.push('spend-http did not run: the ratio cannot be judged');
    return;
  }
  const ratio = round(scenario.opsPerSec / spendHttp.opsPerSec, 2);
  scenario.baselines['spend-http'] = spendHttp.opsPerSec;
  scenario.details.ratios = { vsSpendHttp: ratio, target: DEFAULT_START_RATIO };
  scenario.target.met = ratio >= DEFAULT_START_RATIO;
  scenario.notes.push(`${ratio}× spend-http (${spendHttp.opsPerSec}/s) in this run`);
}

/**
 * `two-replicas`: two api processes (ROLE=api, as the bench's app: LOG_LEVEL=warn, production) on
 * the one PostgreSQL, the 64 connections split between them (32 each), accounts picked at random
 * by every connection — no routing of an account to a replica, so both write to every account and
 * a cached state is often stale (a conflict, then an exclusive retry). First the same load on one
 * such process alone, in the same scenario: the ratio is two ÷ one.
 */
export async function twoReplicas(context: BenchContext): Promise<ScenarioResult> {
  await seedOwnAccounts(context, REPLICAS_PREFIX);
  const env = benchEnv(context.pg.connectionString);
  const spec = (name: string): HttpScenarioSpec => ({
    name,
    route: 'spends',
    body: SPEND_BODY,
    target: TWO_REPLICAS_TARGET,
    met: () => true,
    baselines: {},
    notes: [],
  });
  const first = await startService(context, env, 'replica-1');
  let second: ServiceProcess | null = null;
  try {
    await warmStates(first, REPLICAS_PREFIX, context.settings.accounts);
    context.log('  one api process…');
    const one = await httpLoad(context, spec('two-replicas (one process)'), {
      urls: [first.url],
      serverPids: [first.pid],
      accountPrefix: REPLICAS_PREFIX,
      serverNote: 'one api process (child, ROLE=api)',
    });
    second = await startService(context, env, 'replica-2');
    await warmStates(second, REPLICAS_PREFIX, context.settings.accounts);
    context.log('  two api processes…');
    const two = await httpLoad(context, spec('two-replicas'), {
      urls: [first.url, second.url],
      serverPids: [first.pid, second.pid],
      accountPrefix: REPLICAS_PREFIX,
      serverNote: `two api processes (children, ROLE=api), ${context.settings.concurrency / 2} connections each, accounts at random (no affinity)`,
    });
    const ratio = one.opsPerSec ? round((two.opsPerSec ?? 0) / one.opsPerSec, 2) : null;
    two.baselines['one-replica'] = one.opsPerSec ?? 0;
    two.details.ratios = { vsOneReplica: ratio };
    two.details.oneReplica = {
      opsPerSec: one.opsPerSec,
      p50Ms: one.p50Ms,
      p99Ms: one.p99Ms,
      errors: one.errors,
      resources: one.details.resources,
      exactLatency: one.details.exactLatency,
    };
    two.notes.push(
      `one process: ${one.opsPerSec}/s p99 ${one.p99Ms} ms; two: ${two.opsPerSec}/s p99 ${two.p99Ms} ms (${ratio}×)`,
    );
    return two;
  } finally {
    await second?.stop();
    await first.stop();
  }
}

interface ServiceScenario {
  name: string;
  prefix: string;
  env: Record<string, string | undefined>;
  spec: HttpScenarioSpec;
  describe(service: ServiceProcess): string;
}

async function serviceScenario(
  context: BenchContext,
  scenario: ServiceScenario,
): Promise<ScenarioResult> {
  await seedOwnAccounts(context, scenario.prefix);
  const service = await startService(context, scenario.env, scenario.name);
  try {
    const caughtUp = await projectorCaughtUp(context);
    await warmStates(service, scenario.prefix, context.settings.accounts);
    const logBefore = service.logBytes();
    const profiling = context.profiler !== null;
    if (profiling) service.toggleProfile();
    const result = await httpLoad({ ...context, profiler: null }, scenario.spec, {
      urls: [service.url],
      serverPids: [service.pid],
      accountPrefix: scenario.prefix,
      serverNote: scenario.describe(service),
    });
    if (profiling) {
      service.toggleProfile();
      await sleep(1_000);
      context.profiler!.addFile(scenario.name, profileFileOf(context, scenario.name));
    }
    const requests =
      (result.details.warmup as { ok2xx: number }).ok2xx +
      (result.opsPerSec ?? 0) * (result.details.seconds as number);
    const logBytes = service.logBytes() - logBefore;
    result.details.requestLogBytesPerRequest = requests > 0 ? round(logBytes / requests, 0) : null;
    result.details.projectorCatchUpSeconds = caughtUp;
    result.notes.push(
      `projector caught up with the log in ${caughtUp} s before the load; ≈ ${result.details.requestLogBytesPerRequest as number} bytes of log per request`,
    );
    return result;
  } finally {
    await service.stop();
  }
}

function profileFileOf(context: BenchContext, name: string): string {
  return context.profiler!.fileFor(name);
}

async function startService(
  context: BenchContext,
  env: Record<string, string | undefined>,
  name: string,
): Promise<ServiceProcess> {
  const started = Date.now();
  const service = await startServiceProcess({
    env,
    logFile: join(context.pg.dataDir, `${name}.log`),
    profileFile: context.profiler ? context.profiler.fileFor(name) : undefined,
    log: context.log,
  });
  context.log(`  ${name}: service process ${service.pid} up in ${Date.now() - started} ms`);
  return service;
}

async function seedOwnAccounts(context: BenchContext, prefix: string): Promise<void> {
  await seedAccounts(context.database.pool, {
    prefix,
    count: context.settings.accounts,
    credits: FUNDED_CREDITS,
    spendsPerAccount: 0,
  });
}

/** A balance read of every account over HTTP: each state is then in the process's cache. */
async function warmStates(service: ServiceProcess, prefix: string, accounts: number) {
  let next = 1;
  const worker = async () => {
    while (next <= accounts) {
      const n = next++;
      const response = await fetch(`${service.url}/v1/accounts/${accountIdOf(prefix, n)}/balance`, {
        headers: { authorization: `Bearer ${BENCH_API_KEYS[n % BENCH_API_KEYS.length]}` },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`warm-up balance read: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: WARM_CONCURRENCY }, worker));
}

/**
 * Seconds until every projection's applied-event count stopped moving (1.5 s without change), at
 * most 5 minutes: the projector of a fresh process first replays the log written before it.
 */
async function projectorCaughtUp(context: BenchContext): Promise<number> {
  const started = Date.now();
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - started < 300_000) {
    const { rows } = await context.database.pool.query<{ applied: string | null; n: string }>(
      `SELECT sum(events_applied)::text AS applied, count(*)::text AS n FROM projection_checkpoints`,
    );
    const applied = Number(rows[0].applied ?? 0);
    if (applied !== last) {
      last = applied;
      stableSince = Date.now();
    } else if (Number(rows[0].n) > 0 && Date.now() - stableSince >= 1_500) break;
    await sleep(250);
  }
  return round((Date.now() - started) / 1000, 1);
}
