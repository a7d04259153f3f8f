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
  const operation = card.operations.find(
    (candidate) => candidate.operationId === request.operation,
  );
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
  const units = Math.ceil(quantity / unitSize);
  const subtotal = bigMax(BigInt(minimum), BigInt(base) + BigInt(perUnit) * BigInt(units));
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
      units,
      base,
      perUnit,
      minimum,
      subtotal: Number(subtotal),
      multipliers: applied,
      credits: Number(credits),
    },
  };
}

function refuse(refusal: PricingRefusal): PriceResult {
  return { ok: false, refusal };
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
