import type { Operation, PriceRequest, RateCard } from './rate-card';

/** Multiplier factors are exact in thousandths: they are computed as integers of this scale. */
export const FACTOR_SCALE = 1000;

export interface AppliedMultiplier {
  dimension: string;
  value: string;
  factor: number;
}

/** How a price came about, step by step (returned with every quote and priced spend). */
export interface PriceBreakdown {
  operationId: string;
  quantity: number;
  unitSize: number;
  /** ceil(quantity / unitSize). */
  units: number;
  base: number;
  perUnit: number;
  minimum: number;
  /** max(minimum, base + perUnit × units): the price before multipliers. */
  subtotal: number;
  multipliers: AppliedMultiplier[];
  /** subtotal × Π factors, rounded up. */
  credits: number;
}

export type PricingRefusal =
  | { code: 'operation_not_found'; operation: string }
  | { code: 'dimension_missing'; dimension: string }
  | { code: 'dimension_value_unknown'; dimension: string; value: string }
  | { code: 'dimension_not_priced'; dimension: string }
  | { code: 'price_too_large'; limit: number };

export type PriceResult =
  | { ok: true; operation: Operation; rateCardVersion: number; breakdown: PriceBreakdown }
  | { ok: false; refusal: PricingRefusal };

/**
 * PRODUCT.md §1: `credits = max(minimum, base + perUnit × ceil(quantity / unitSize)) × Π
 * multiplier[dimension][value]`, rounded up. In integers (BigInt, factors in thousandths), so no
 * float drift whatever the card. Prices above `maxCredits` are refused rather than rounded.
 * `request.quantity` must already be a validated positive integer (the HTTP layer checks it).
 */
export function priceOperation(
  card: RateCard,
  request: PriceRequest,
  maxCredits: number,
): PriceResult {
  const operation = operationsOf(card).get(request.operation);
  if (!operation) return refuse({ code: 'operation_not_found', operation: request.operation });
  const { base, perUnit, unitSize, minimum, multiplier = {} } = operation.pricing;
  const dimensions = request.dimensions ?? {};
  for (const dimension of Object.keys(dimensions)) {
    if (!Object.hasOwn(multiplier, dimension))
      return refuse({ code: 'dimension_not_priced', dimension });
  }
  const applied: AppliedMultiplier[] = [];
  for (const [dimension, factors] of Object.entries(multiplier)) {
    if (!Object.hasOwn(dimensions, dimension))
      return refuse({ code: 'dimension_missing', dimension });
    const value = dimensions[dimension];
    if (!Object.hasOwn(factors, value)) {
      return refuse({ code: 'dimension_value_unknown', dimension, value });
    }
    applied.push({ dimension, value, factor: factors[value] });
  }
  const quantity = request.quantity ?? 1;
  // ceil(quantity / unitSize) in integers, like the rest: exact by construction for any quantity.
  const units = (BigInt(quantity) + BigInt(unitSize) - 1n) / BigInt(unitSize);
  const subtotal = bigMax(BigInt(minimum), BigInt(base) + BigInt(perUnit) * units);
  let numerator = subtotal;
  let denominator = 1n;
  for (const { factor } of applied) {
    numerator *= BigInt(Math.round(factor * FACTOR_SCALE));
    denominator *= BigInt(FACTOR_SCALE);
  }
  const credits = (numerator + denominator - 1n) / denominator;
  if (credits > BigInt(maxCredits) || subtotal > BigInt(Number.MAX_SAFE_INTEGER)) {
    return refuse({ code: 'price_too_large', limit: maxCredits });
  }
  return {
    ok: true,
    operation,
    rateCardVersion: card.version,
    breakdown: {
      operationId: operation.operationId,
      quantity,
      unitSize,
      units: Number(units),
      base,
      perUnit,
      minimum,
      subtotal: Number(subtotal),
      multipliers: applied,
      credits: Number(credits),
    },
  };
}

/**
 * Each card's operations by id, built once per card object: a card has up to 1,000 operations and
 * is priced on every priced spend. Weak, so a card dropped from every cache is dropped from here.
 */
const operationIndexes = new WeakMap<RateCard, ReadonlyMap<string, Operation>>();

function operationsOf(card: RateCard): ReadonlyMap<string, Operation> {
  let index = operationIndexes.get(card);
  if (!index) {
    const byId = new Map<string, Operation>();
    // The first of a repeated id wins, as a search would find it (a published card has none).
    for (const operation of card.operations)
      if (!byId.has(operation.operationId)) byId.set(operation.operationId, operation);
    operationIndexes.set(card, (index = byId));
  }
  return index;
}

function refuse(refusal: PricingRefusal): PriceResult {
  return { ok: false, refusal };
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
