import { RateCards } from '../../src/pricing/rate-card/rate-cards';
import type { BenchApp } from '../lib/bench-app';
import { ACCOUNT_PREFIX, type BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { warmAccountStates } from '../lib/warm-states';
import { httpScenario } from './spend-http';

/**
 * Issue 13: a priced spend costs at most 10 % more than a plain one, measured in the same run. On
 * a shared machine two back-to-back phases differ by more than that from load drift alone, so the
 * verdict is the paired measurement: alternating plain, priced, priced, plain phases (ABBA: a
 * drift that is linear over the four cancels out).
 */
export const SPEND_BY_OPERATION_HTTP_TARGET =
  'plain ÷ priced ops/s ≤ 1.1 over alternating plain/priced/priced/plain phases (same app)';
/** Issue 13: a quote answers with p99 under 20 ms at the bench's load. */
export const QUOTE_HTTP_TARGET = 'p99 < 20 ms';
const PRICED_OVERHEAD_LIMIT = 1.1;
const QUOTE_P99_LIMIT_MS = 20;
/** 90 seconds: 2 started minutes of a per-minute operation, so the unit arithmetic runs too. */
const BENCH_QUANTITY = 90;

/**
 * `spend-by-operation-http`: as spend-http, but each body names an operation of the app's current
 * card (one with a dimension, so a multiplier applies) instead of credits: the server prices it
 * before the spend goes to the mailbox. Run right before spend-http on the same app, both on
 * warm account states (bench/lib/warm-states.ts); judged by judgeAgainstPlain once spend-http ran.
 */
export async function spendByOperationHttp(
  context: BenchContext,
  bench: BenchApp,
): Promise<ScenarioResult> {
  const request = await benchOperation(bench);
  return httpScenario(context, bench, {
    name: 'spend-by-operation-http',
    route: 'spends',
    body: request,
    target: SPEND_BY_OPERATION_HTTP_TARGET,
    met: () => false,
    baselines: {},
    notes: [
      `body ${JSON.stringify(request)} (priced at the current card); run right before spend-http, both on warm states`,
    ],
  });
}

/**
 * Before the two compared scenarios: a discarded run of each body, so that neither pays alone for
 * what the first HTTP scenario of an app pays (JIT of the HTTP path, the pool's connections).
 */
export async function warmUpHttp(context: BenchContext, bench: BenchApp): Promise<void> {
  const seconds = { warmup: 1, duration: 2 };
  const discard = { target: '', met: () => false, baselines: {}, notes: [], seconds };
  await httpScenario(context, bench, {
    ...discard,
    name: 'warm-up plain',
    route: 'spends',
    body: { credits: 1, description: 'bench warm-up' },
  });
  await httpScenario(context, bench, {
    ...discard,
    name: 'warm-up priced',
    route: 'spends',
    body: await benchOperation(bench),
  });
}

/** The four alternating phases and what they say: plain ÷ priced throughput. */
export interface PairedCost {
  plainOpsPerSec: [number, number];
  pricedOpsPerSec: [number, number];
  /** (plain₁ + plain₂) ÷ (priced₁ + priced₂): 1.1 is a priced spend 10 % dearer. */
  costVsPlain: number;
}

/**
 * Plain, priced, priced, plain, each a short autocannon phase at the bench's load on the same app:
 * the comparison the target is judged on (see SPEND_BY_OPERATION_HTTP_TARGET).
 */
export async function pairedCost(context: BenchContext, bench: BenchApp): Promise<PairedCost> {
  const seconds = {
    warmup: 1,
    duration: Math.max(2, Math.round(context.settings.httpDurationSec / 3)),
  };
  const phase = async (name: string, body: unknown) => {
    const result = await httpScenario(context, bench, {
      name,
      route: 'spends',
      body,
      target: '',
      met: () => false,
      baselines: {},
      notes: [],
      seconds,
    });
    if (result.errors) throw new Error(`${name}: ${result.errors} errors`);
    return result.opsPerSec ?? 0;
  };
  const plainBody = { credits: 1, description: 'bench http spend' };
  const pricedBody = await benchOperation(bench);
  const plainFirst = await phase('paired plain 1', plainBody);
  const pricedFirst = await phase('paired priced 1', pricedBody);
  const pricedSecond = await phase('paired priced 2', pricedBody);
  const plainSecond = await phase('paired plain 2', plainBody);
  return {
    plainOpsPerSec: [plainFirst, plainSecond],
    pricedOpsPerSec: [pricedFirst, pricedSecond],
    costVsPlain: round((plainFirst + plainSecond) / (pricedFirst + pricedSecond), 3),
  };
}

/**
 * The verdict: the paired measurement's ratio; beside it, for the record, the ratio to spend-http
 * run right after this scenario.
 */
export function judgeAgainstPlain(
  priced: ScenarioResult,
  plain: ScenarioResult | undefined,
  paired: PairedCost | null,
): void {
  if (!priced.available) return;
  const plainOps = plain?.available ? plain.opsPerSec : null;
  if (plainOps !== null && priced.opsPerSec !== null) {
    priced.baselines['spend-http'] = plainOps;
    priced.details.costVsSpendHttp = round(plainOps / priced.opsPerSec, 3);
    priced.details.p50VsSpendHttp = `${priced.p50Ms} ms vs ${plain?.p50Ms} ms`;
    priced.details.p99VsSpendHttp = `${priced.p99Ms} ms vs ${plain?.p99Ms} ms`;
  }
  if (paired === null) {
    priced.target.met = null;
    priced.notes.push('the paired plain/priced phases did not run: no verdict');
    return;
  }
  priced.details.paired = paired;
  priced.target.met = paired.costVsPlain <= PRICED_OVERHEAD_LIMIT;
  priced.notes.push(
    `paired phases (plain, priced, priced, plain): ${paired.plainOpsPerSec[0]}, ${paired.pricedOpsPerSec[0]}, ` +
      `${paired.pricedOpsPerSec[1]}, ${paired.plainOpsPerSec[1]}/s: a priced spend costs ${paired.costVsPlain}× a plain one`,
  );
}

/**
 * Lighter closed loops run after the verdict's phase, on the same app: where the machine serves
 * quotes under 20 ms. Reported beside the verdict (details.lighterLoads), never instead of it.
 */
const QUOTE_LIGHTER_CONNECTIONS = [16, 8, 4];

/**
 * `quote-http`: POST …/quotes for the same operation, at the same load as spend-http (the
 * verdict), then at lighter loads (QUOTE_LIGHTER_CONNECTIONS). Every account state is loaded
 * first, as the full run has them after spend-by-operation-http: run alone (`--only=quote-http`),
 * most quotes of a 6 s phase would otherwise be an account's first read (its whole stream, not the
 * grouped tail read), which a quote in service, made right before its spend, rarely is.
 */
export async function quoteHttp(context: BenchContext, bench: BenchApp): Promise<ScenarioResult> {
  const request = await benchOperation(bench);
  await warmAccountStates(bench, ACCOUNT_PREFIX, context.settings.accounts);
  const spec = {
    name: 'quote-http',
    route: 'quotes' as const,
    body: request,
    target: QUOTE_HTTP_TARGET,
    met: (_opsPerSec: number, p99: number) => p99 < QUOTE_P99_LIMIT_MS,
    baselines: {},
    notes: [
      `body ${JSON.stringify(request)}; each quote reads the account (as check) and writes nothing (a signed id); account states loaded first`,
    ],
  };
  const result = await httpScenario(context, bench, spec);
  const cpu = cpuPerOperation(result);
  result.details.cpuPerQuote = cpu;
  result.notes.push(
    `CPU per quote: server process ${cpu.nodeUsPerOp} µs, PostgreSQL ${cpu.postgresUsPerOp} µs, autocannon ${cpu.clientUsPerOp} µs`,
  );
  const lighter: Array<Record<string, unknown>> = [];
  const seconds = {
    warmup: 1,
    duration: Math.max(3, Math.round(context.settings.httpDurationSec / 2)),
  };
  for (const connections of QUOTE_LIGHTER_CONNECTIONS) {
    const phase = await httpScenario(context, bench, {
      ...spec,
      name: `quote-http-${connections}c`,
      notes: [],
      connections,
      seconds,
    });
    const phaseCpu = cpuPerOperation(phase);
    lighter.push({
      connections,
      opsPerSec: phase.opsPerSec,
      p50Ms: phase.p50Ms,
      p99Ms: phase.p99Ms,
      errors: phase.errors,
      p99Under20Ms: phase.p99Ms !== null && phase.p99Ms < QUOTE_P99_LIMIT_MS,
      ...phaseCpu,
    });
    result.notes.push(
      `lighter load, ${connections} connections (not the target's load): ${phase.opsPerSec}/s, p50 ${phase.p50Ms} ms, p99 ${phase.p99Ms} ms (CPU per quote: server ${phaseCpu.nodeUsPerOp} µs, PostgreSQL ${phaseCpu.postgresUsPerOp} µs)`,
    );
  }
  result.details.lighterLoads = lighter;
  return result;
}

/** Microseconds of server-process and PostgreSQL CPU per successful operation of a phase. */
function cpuPerOperation(result: ScenarioResult): Record<string, number | null> {
  const resources = result.details.resources as
    { nodeCpuPct: number; postgresCpuPct: number | null; clientCpuPct: number } | undefined;
  const ops = result.opsPerSec;
  if (!resources || !ops) return { nodeUsPerOp: null, postgresUsPerOp: null };
  const perOp = (pct: number | null) => (pct === null ? null : round((pct * 10_000) / ops, 1));
  return {
    nodeUsPerOp: perOp(resources.nodeCpuPct),
    postgresUsPerOp: perOp(resources.postgresCpuPct),
    clientUsPerOp: perOp(resources.clientCpuPct),
  };
}

/**
 * An operation of the app's current card to price: one with a dimension and no minimumAvailable
 * (the bench's accounts could fall below one), with the first value of each dimension. Read from
 * the card itself, so the scenarios run on whatever default card the app ships.
 */
async function benchOperation(bench: BenchApp): Promise<Record<string, unknown>> {
  const card = await bench.app.get(RateCards).current();
  const candidates = card.operations.filter(
    (operation) => operation.minimumAvailable === undefined,
  );
  const operation =
    candidates.find((candidate) => Object.keys(candidate.pricing.multiplier ?? {}).length > 0) ??
    candidates[0];
  if (!operation) throw new Error(`rate card ${card.version} has no operation the bench can use`);
  const dimensions = Object.fromEntries(
    Object.entries(operation.pricing.multiplier ?? {}).map(([dimension, values]) => [
      dimension,
      Object.keys(values)[0],
    ]),
  );
  return { operation: operation.operationId, quantity: BENCH_QUANTITY, dimensions };
}
