import fc from 'fast-check';
import { priceOperation, type PricingRefusal } from '../../src/pricing/rate-card/price';
import type { Operation, PriceRequest, RateCard } from '../../src/pricing/rate-card/rate-card';
import { validateOperations } from '../../src/pricing/rate-card/validate-card';

/**
 * PRODUCT.md §1's formula, `credits = max(minimum, base + perUnit × ceil(quantity / unitSize)) ×
 * Π factor`, rounded up, checked on random valid cards and requests against a reference written
 * the plain way: every factor is a fraction p/q read from the decimal text of the factor (not from
 * `factor × 1000`), the product is one exact fraction reduced by its gcd, and rounding up is
 * "the least integer n with n × q ≥ p", found without a division trick. So the two share no
 * arithmetic, and:
 * - every price is the reference's exactly (no float drift at all, whatever the factors);
 * - it is never below the exact value and less than one credit above it (always rounded up);
 * - a request is refused exactly when the reference says it cannot be priced, for a reason the
 *   reference agrees with.
 */

/** A non-negative fraction, kept reduced. */
interface Fraction {
  p: bigint;
  q: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduce({ p, q }: Fraction): Fraction {
  const divisor = gcd(p, q) || 1n;
  return { p: p / divisor, q: q / divisor };
}

/** "1.005" → 1005/1000, from the number's shortest decimal text (what JSON carries). */
function fractionOf(factor: number): Fraction {
  const text = String(factor);
  if (/e/i.test(text)) throw new Error(`unexpected exponent in ${text}`);
  const [whole, decimals = ''] = text.split('.');
  return reduce({ p: BigInt(whole + decimals), q: 10n ** BigInt(decimals.length) });
}

function ceilDivide(p: bigint, q: bigint): bigint {
  const floor = p / q;
  return floor * q === p ? floor : floor + 1n;
}

type Reference =
  | { ok: true; units: bigint; subtotal: bigint; exact: Fraction; credits: bigint }
  | { ok: false; reasons: PricingRefusal['code'][] };

/** Every reason the request cannot be priced, or its price. */
function reference(card: RateCard, request: PriceRequest, maxCredits: number): Reference {
  const operation = card.operations.find((item) => item.operationId === request.operation);
  if (!operation) return { ok: false, reasons: ['operation_not_found'] };
  const multiplier = operation.pricing.multiplier ?? {};
  const dimensions = request.dimensions ?? {};
  const reasons: PricingRefusal['code'][] = [];
  for (const dimension of Object.keys(dimensions))
    if (!(dimension in multiplier) || !Object.hasOwn(multiplier, dimension))
      reasons.push('dimension_not_priced');
  let product: Fraction = { p: 1n, q: 1n };
  for (const dimension of Object.keys(multiplier)) {
    if (!Object.hasOwn(dimensions, dimension)) reasons.push('dimension_missing');
    else if (!Object.hasOwn(multiplier[dimension], dimensions[dimension]))
      reasons.push('dimension_value_unknown');
    else {
      const factor = fractionOf(multiplier[dimension][dimensions[dimension]]);
      product = reduce({ p: product.p * factor.p, q: product.q * factor.q });
    }
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const { base, perUnit, unitSize, minimum } = operation.pricing;
  const units = ceilDivide(BigInt(request.quantity ?? 1), BigInt(unitSize));
  const charged = BigInt(base) + BigInt(perUnit) * units;
  const subtotal = charged > BigInt(minimum) ? charged : BigInt(minimum);
  const exact = reduce({ p: subtotal * product.p, q: product.q });
  let credits = exact.p / exact.q;
  while (credits * exact.q < exact.p) credits += 1n;
  if (credits > BigInt(maxCredits) || subtotal > BigInt(Number.MAX_SAFE_INTEGER))
    return { ok: false, reasons: ['price_too_large'] };
  return { ok: true, units, subtotal, exact, credits };
}

// Cards: amounts from tiny to the largest allowed, factors as thousandths (some integers, some
// with float-hostile decimals like 0.1, 0.2, 1.005), dimension values the requests may or may not use.
const amount = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.constantFrom(0, 1, 999_999_999_999, 1_000_000_000_000),
);
const factor = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000 }).map((thousandths) => thousandths / 1000),
  fc.integer({ min: 1, max: 20 }),
  fc.constantFrom(0.001, 0.1, 0.2, 0.3, 0.7, 1.005, 1.1, 2.675, 4.35, 999.999, 1000),
);
const dimensionName = fc.constantFrom('resolution', 'complexity', 'codec', 'speed', 'tier');
const valueName = fc.constantFrom('720p', '1080p', '4k', 'simple', 'complex', 'a', 'b', '0');
const multipliers = fc.option(
  fc.dictionary(dimensionName, fc.dictionary(valueName, factor, { minKeys: 1, maxKeys: 4 }), {
    minKeys: 1,
    maxKeys: 4,
  }),
  { nil: undefined },
);
const operationArb = (operationId: string): fc.Arbitrary<Operation> =>
  fc
    .record({
      base: amount,
      perUnit: amount,
      minimum: amount,
      unitSize: fc.oneof(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
      ),
      multiplier: multipliers,
    })
    .filter(({ base, perUnit, minimum }) => base + perUnit + minimum > 0)
    .map(({ multiplier, ...pricing }) => ({
      operationId,
      name: operationId,
      unit: 'unit',
      pricing: multiplier === undefined ? pricing : { ...pricing, multiplier },
    }));
const cardArb: fc.Arbitrary<RateCard> = fc
  .integer({ min: 1, max: 5 })
  .chain((count) =>
    fc.tuple(...Array.from({ length: count }, (_, index) => operationArb(`op-${index}`))),
  )
  .map((operations) => ({ version: 1, publishedAt: '2026-03-01T00:00:00.000Z', operations }));

/** Mostly requests a card can price; sometimes a missing, extra or unknown dimension. */
function requestArb(card: RateCard): fc.Arbitrary<PriceRequest> {
  return fc
    .record({
      index: fc.nat({ max: card.operations.length }),
      quantity: fc.option(
        fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 1_000_000_000 })),
        { nil: undefined },
      ),
      choices: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      spoil: fc.constantFrom('none', 'none', 'none', 'none', 'drop', 'unknown', 'extra'),
    })
    .map(({ index, quantity, choices, spoil }) => {
      const operation = card.operations[index];
      if (!operation) return { operation: 'not-on-the-card', quantity };
      const dimensions: Record<string, string> = {};
      Object.entries(operation.pricing.multiplier ?? {}).forEach(([dimension, values], at) => {
        const names = Object.keys(values);
        dimensions[dimension] = names[choices[at] % names.length];
      });
      const names = Object.keys(dimensions);
      if (spoil === 'drop' && names.length > 0) delete dimensions[names[0]];
      if (spoil === 'unknown' && names.length > 0) dimensions[names[0]] = 'not-a-value';
      if (spoil === 'extra') dimensions['not-a-dimension'] = 'x';
      return { operation: operation.operationId, quantity, dimensions };
    });
}

const pricedCase = cardArb.chain((card) =>
  fc.tuple(
    fc.constant(card),
    requestArb(card),
    fc.constantFrom(1_000_000_000_000, Number.MAX_SAFE_INTEGER),
  ),
);

describe('priceOperation against a reference in exact fractions (property)', () => {
  it('every random card here is one the validation would publish', () => {
    fc.assert(
      fc.property(cardArb, (card) => validateOperations(card.operations).ok),
      { numRuns: 200 },
    );
  });

  it('prices exactly as the reference, always rounded up, and refuses exactly when it does', () => {
    fc.assert(
      fc.property(pricedCase, ([card, request, maxCredits]) => {
        const result = priceOperation(card, request, maxCredits);
        const expected = reference(card, request, maxCredits);
        if (!expected.ok) {
          if (result.ok) return false;
          return expected.reasons.includes(result.refusal.code);
        }
        if (!result.ok) return false;
        const { breakdown } = result;
        const credits = BigInt(breakdown.credits);
        return (
          Number.isSafeInteger(breakdown.credits) &&
          credits === expected.credits &&
          BigInt(breakdown.units) === expected.units &&
          BigInt(breakdown.subtotal) === expected.subtotal &&
          // Rounded up: credits ≥ exact and credits − 1 < exact.
          credits * expected.exact.q >= expected.exact.p &&
          (credits - 1n) * expected.exact.q < expected.exact.p &&
          result.rateCardVersion === card.version
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('agrees with the reference on prices near the rounding edge (subtotals × factors just past a whole number)', () => {
    // subtotal × k/1000 lands within one thousandth of a whole number: where a float product drifts.
    const edge = fc
      .record({
        subtotal: fc.integer({ min: 1, max: 1_000_000 }),
        thousandths: fc.integer({ min: 1, max: 1_000_000 }),
      })
      .map(({ subtotal, thousandths }) => ({ subtotal, factor: thousandths / 1000 }));
    fc.assert(
      fc.property(edge, ({ subtotal, factor }) => {
        const card: RateCard = {
          version: 3,
          publishedAt: '2026-03-01T00:00:00.000Z',
          operations: [
            {
              operationId: 'edge',
              name: 'edge',
              unit: 'call',
              pricing: {
                base: subtotal,
                perUnit: 0,
                unitSize: 1,
                minimum: 0,
                multiplier: { d: { v: factor } },
              },
            },
          ],
        };
        const request = { operation: 'edge', dimensions: { d: 'v' } };
        const result = priceOperation(card, request, Number.MAX_SAFE_INTEGER);
        const expected = reference(card, request, Number.MAX_SAFE_INTEGER);
        return result.ok && expected.ok && BigInt(result.breakdown.credits) === expected.credits;
      }),
      { numRuns: 5_000 },
    );
  });
});
