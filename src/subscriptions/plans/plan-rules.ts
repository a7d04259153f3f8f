import type { Plan } from './plan';

/**
 * What a plan may be: every field checked at once, so a bad request names each bad field (API.md
 * "Conventions"); used by the request handling and by the catalog's decision alike.
 */
export const PLAN_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const MAX_PLAN_NAME_LENGTH = 100;
export const MAX_CREDITS_PER_PERIOD = 1_000_000_000;
/** Stripe refuses charges under about 0.50 USD; eight digits of minor units is its largest. */
export const MIN_PLAN_PRICE_MINOR = 50;
export const MAX_PLAN_PRICE_MINOR = 99_999_999;
/** Rollover blocks live at most ten years of monthly periods. */
export const MAX_EXPIRES_AFTER_PERIODS = 120;
/** Plans ever created: a pricing page, not a product database (bounds the catalog's state). */
export const MAX_PLANS = 100;
const STRIPE_PRICE_ID = /^price_[A-Za-z0-9]{1,250}$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const KNOWN_FIELDS = new Set([
  'planId',
  'name',
  'creditsPerPeriod',
  'price',
  'stripePriceId',
  'rollover',
]);

export interface PlanFieldProblem {
  field: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function integerIn(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * A plan from a request body: the plan, or every problem. `pathPlanId`: the id in the path of a
 * PUT (a `planId` in its body must be the same).
 */
export function parsePlan(
  body: unknown,
  pathPlanId?: string,
): { plan: Plan } | { problems: PlanFieldProblem[] } {
  const problems: PlanFieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!isObject(body)) return { problems: [{ field: 'body', message: 'must be a JSON object' }] };
  for (const key of Object.keys(body)) if (!KNOWN_FIELDS.has(key)) add(key, 'is not a plan field');
  const planId = body.planId ?? pathPlanId;
  if (typeof planId !== 'string' || !PLAN_ID_PATTERN.test(planId))
    add('planId', 'must be 1–64 characters of a–z 0–9 -');
  else if (pathPlanId !== undefined && planId !== pathPlanId)
    add('planId', `must be the path's planId (${pathPlanId}) when given`);
  const { name, creditsPerPeriod, price, rollover } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_PLAN_NAME_LENGTH)
    add('name', `must be 1–${MAX_PLAN_NAME_LENGTH} characters, not only spaces`);
  if (!integerIn(creditsPerPeriod, 1, MAX_CREDITS_PER_PERIOD))
    add('creditsPerPeriod', `must be an integer from 1 to ${MAX_CREDITS_PER_PERIOD}`);
  if (!isObject(price)) {
    add('price', 'must be { minor, currency }');
  } else {
    if (!integerIn(price.minor, MIN_PLAN_PRICE_MINOR, MAX_PLAN_PRICE_MINOR))
      add(
        'price.minor',
        `must be an integer from ${MIN_PLAN_PRICE_MINOR} to ${MAX_PLAN_PRICE_MINOR} (minor units)`,
      );
    if (
      typeof price.currency !== 'string' ||
      !/^[A-Z]{3}$/.test(price.currency) ||
      !CURRENCIES.has(price.currency)
    )
      add('price.currency', 'must be an ISO 4217 code in capitals (USD)');
    for (const key of Object.keys(price))
      if (key !== 'minor' && key !== 'currency') add(`price.${key}`, 'is not a price field');
  }
  const stripePriceId = body.stripePriceId ?? null;
  if (
    stripePriceId !== null &&
    (typeof stripePriceId !== 'string' || !STRIPE_PRICE_ID.test(stripePriceId))
  )
    add('stripePriceId', 'must be a Stripe Price id (price_…)');
  if (!isObject(rollover)) {
    add('rollover', 'must be { maxCredits, expiresAfterPeriods }');
  } else {
    if (!integerIn(rollover.maxCredits, 0, MAX_CREDITS_PER_PERIOD))
      add('rollover.maxCredits', `must be an integer from 0 to ${MAX_CREDITS_PER_PERIOD}`);
    if (!integerIn(rollover.expiresAfterPeriods, 0, MAX_EXPIRES_AFTER_PERIODS))
      add(
        'rollover.expiresAfterPeriods',
        `must be an integer from 0 to ${MAX_EXPIRES_AFTER_PERIODS}`,
      );
    if (
      rollover.maxCredits !== 0 &&
      rollover.expiresAfterPeriods === 0 &&
      integerIn(rollover.maxCredits, 1, MAX_CREDITS_PER_PERIOD)
    )
      add('rollover.expiresAfterPeriods', 'must be at least 1 when maxCredits is above 0');
    for (const key of Object.keys(rollover))
      if (key !== 'maxCredits' && key !== 'expiresAfterPeriods')
        add(`rollover.${key}`, 'is not a rollover field');
  }
  if (problems.length > 0) return { problems };
  const money = price as { minor: number; currency: string };
  const terms = rollover as { maxCredits: number; expiresAfterPeriods: number };
  return {
    plan: {
      planId: planId as string,
      name: name as string,
      creditsPerPeriod: creditsPerPeriod as number,
      price: { minor: money.minor, currency: money.currency },
      stripePriceId: stripePriceId as string | null,
      rollover: { maxCredits: terms.maxCredits, expiresAfterPeriods: terms.expiresAfterPeriods },
    },
  };
}
