import { RateCards } from '../../src/pricing/rate-card/rate-cards';
import type { BenchApp } from '../lib/bench-app';
import type { BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { httpScenario } from './spend-http';

/** Issue 13: a priced spend costs at most 10 % more than a plain one, measured in the same run. */
export const SPEND_BY_OPERATION_HTTP_TARGET = '≥ spend-http ÷ 1.1 (same run), i.e. ≤ 10 % dearer';
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

/** The target: ops/s at most 10 % below spend-http's, measured in the same run. */
export function judgeAgainstPlain(priced: ScenarioResult, plain: ScenarioResult | undefined): void {
  if (!priced.available) return;
  const plainOps = plain?.available ? plain.opsPerSec : null;
  if (plainOps === null || priced.opsPerSec === null) {
    priced.target.met = null;
    priced.notes.push('spend-http did not run in this run: nothing to compare with');
    return;
  }
  priced.baselines['spend-http'] = plainOps;
  priced.target.met = priced.opsPerSec * PRICED_OVERHEAD_LIMIT >= plainOps;
  priced.details.costVsPlain = round(plainOps / priced.opsPerSec, 3);
  priced.details.p50VsPlain = `${priced.p50Ms} ms vs ${plain?.p50Ms} ms`;
  priced.details.p99VsPlain = `${priced.p99Ms} ms vs ${plain?.p99Ms} ms`;
}

/** `quote-http`: POST …/quotes for the same operation, at the same load as spend-http. */
export async function quoteHttp(context: BenchContext, bench: BenchApp): Promise<ScenarioResult> {
  const request = await benchOperation(bench);
  return httpScenario(context, bench, {
    name: 'quote-http',
    route: 'quotes',
    body: request,
    target: QUOTE_HTTP_TARGET,
    met: (_opsPerSec, p99) => p99 < QUOTE_P99_LIMIT_MS,
    baselines: {},
    notes: [
      `body ${JSON.stringify(request)}; each quote reads the account (as check) and keeps a row`,
    ],
  });
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
