import { DEFAULT_RATE_CARD } from '../../src/pricing/rate-card/default-rate-card';
import { priceOperation, type PriceResult } from '../../src/pricing/rate-card/price';
import type { PriceRequest, RateCard } from '../../src/pricing/rate-card/rate-card';
import { operation } from './fixtures';

const MAX_CREDITS = 1_000_000_000_000;

function credits(request: PriceRequest, card: RateCard = DEFAULT_RATE_CARD): number {
  const result = priceOperation(card, request, MAX_CREDITS);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.breakdown.credits;
}

function refusal(request: PriceRequest, card: RateCard = DEFAULT_RATE_CARD) {
  return (priceOperation(card, request, MAX_CREDITS) as Extract<PriceResult, { ok: false }>)
    .refusal;
}

/** The worked examples of docs/pricing.md, on the default card. */
describe('priceOperation: the worked examples of docs/pricing.md', () => {
  it('stem-separation: 5 per call', () => {
    expect(credits({ operation: 'stem-separation' })).toBe(5);
    expect(credits({ operation: 'stem-separation', quantity: 4 })).toBe(20);
  });

  it('render: 2 to start plus 2 per started minute (quantity in seconds)', () => {
    expect(credits({ operation: 'render', quantity: 45 })).toBe(4);
    expect(credits({ operation: 'render', quantity: 60 })).toBe(4);
    expect(credits({ operation: 'render', quantity: 61 })).toBe(6);
    expect(credits({ operation: 'render', quantity: 600 })).toBe(22);
  });

  it('video-export: 3 per started minute, at least 5, times the resolution, rounded up', () => {
    const exported = (quantity: number, resolution: string) =>
      credits({ operation: 'video-export', quantity, dimensions: { resolution } });
    expect(exported(150, '1080p')).toBe(14); // 3 minutes → 9 × 1.5 = 13.5 → 14
    expect(exported(150, '720p')).toBe(9);
    expect(exported(150, '4k')).toBe(36);
    expect(exported(30, '720p')).toBe(5); // 1 minute → 3, the minimum 5 applies first
    expect(exported(30, '4k')).toBe(20); // then the multiplier: 5 × 4
    expect(exported(30, '1080p')).toBe(8); // 5 × 1.5 = 7.5 → 8
  });

  it('ai-generation: 10 per generation times the complexity', () => {
    const generated = (complexity: string, quantity?: number) =>
      credits({ operation: 'ai-generation', quantity, dimensions: { complexity } });
    expect(generated('simple')).toBe(5);
    expect(generated('standard')).toBe(10);
    expect(generated('complex')).toBe(25);
    expect(generated('complex', 3)).toBe(75);
  });

  it('explains the price step by step', () => {
    const result = priceOperation(
      DEFAULT_RATE_CARD,
      { operation: 'video-export', quantity: 150, dimensions: { resolution: '1080p' } },
      MAX_CREDITS,
    );
    expect(result).toEqual({
      ok: true,
      operation: DEFAULT_RATE_CARD.operations[2],
      rateCardVersion: 0,
      breakdown: {
        operationId: 'video-export',
        quantity: 150,
        unitSize: 60,
        units: 3,
        base: 0,
        perUnit: 3,
        minimum: 5,
        subtotal: 9,
        multipliers: [{ dimension: 'resolution', value: '1080p', factor: 1.5 }],
        credits: 14,
      },
    });
  });

  it('names what it cannot price', () => {
    expect(refusal({ operation: 'teleport' })).toEqual({
      code: 'operation_not_found',
      operation: 'teleport',
    });
    expect(refusal({ operation: 'video-export', quantity: 60 })).toEqual({
      code: 'dimension_missing',
      dimension: 'resolution',
    });
    expect(
      refusal({ operation: 'video-export', quantity: 60, dimensions: { resolution: '8k' } }),
    ).toEqual({ code: 'dimension_value_unknown', dimension: 'resolution', value: '8k' });
    expect(refusal({ operation: 'render', dimensions: { resolution: '4k' } })).toEqual({
      code: 'dimension_not_priced',
      dimension: 'resolution',
    });
    // Own properties only: an inherited name is no dimension value.
    expect(
      refusal({ operation: 'ai-generation', dimensions: { complexity: 'toString' } }),
    ).toMatchObject({ code: 'dimension_value_unknown' });
  });

  it('is exact where floats are not (0.1 × 0.2 style factors), up to the largest quantities', () => {
    const card: RateCard = {
      version: 7,
      publishedAt: '2026-01-01T00:00:00.000Z',
      operations: [
        operation('tiny', {
          pricing: {
            base: 0,
            perUnit: 1,
            unitSize: 1,
            minimum: 0,
            multiplier: { a: { x: 0.1 }, b: { y: 0.2 }, c: { z: 1.005 } },
          },
        }),
        operation('big', { pricing: { base: 0, perUnit: 1, unitSize: 3, minimum: 0 } }),
      ],
    };
    // 1000 × 0.1 × 0.2 × 1.005 = 20.1 exactly → 21 (floats say 20.100000000000005 or 20.099999…)
    expect(
      credits({ operation: 'tiny', quantity: 1000, dimensions: { a: 'x', b: 'y', c: 'z' } }, card),
    ).toBe(21);
    // 10 × 0.1 × 0.2 × 1.005 = 0.201 → 1: never rounded down to nothing
    expect(
      credits({ operation: 'tiny', quantity: 10, dimensions: { a: 'x', b: 'y', c: 'z' } }, card),
    ).toBe(1);
    // 2^53 − 1 = 3 × 3002399751580330 + 1: one more started unit, even at the largest quantity
    const big = priceOperation(
      card,
      { operation: 'big', quantity: Number.MAX_SAFE_INTEGER },
      Number.MAX_SAFE_INTEGER,
    );
    expect(big.ok && big.breakdown.credits).toBe(3002399751580331);
  });

  it('refuses a price above the limit rather than rounding it', () => {
    expect(
      priceOperation(DEFAULT_RATE_CARD, { operation: 'stem-separation', quantity: 1_000 }, 4_999),
    ).toEqual({ ok: false, refusal: { code: 'price_too_large', limit: 4_999 } });
    expect(
      priceOperation(DEFAULT_RATE_CARD, { operation: 'stem-separation', quantity: 1_000 }, 5_000)
        .ok,
    ).toBe(true);
  });
});
