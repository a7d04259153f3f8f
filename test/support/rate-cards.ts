import type { INestApplication } from '@nestjs/common';
import type { Operation, RateCard } from '../../src/pricing/rate-card/rate-card';
import { RateCards } from '../../src/pricing/rate-card/rate-cards';

/**
 * A test double of the rate cards: cards published in memory, versions 1, 2, … Stands in for the
 * rate-card stream so that tests of quotes and priced spends choose their own prices and publish a
 * new card whenever they need one.
 */
export class InMemoryRateCards extends RateCards {
  private readonly cards: RateCard[] = [];

  constructor(operations: Operation[]) {
    super();
    this.publish(operations);
  }

  publish(operations: Operation[]): RateCard {
    const card: RateCard = {
      version: this.cards.length + 1,
      publishedAt: new Date(Date.UTC(2026, 0, 1 + this.cards.length)).toISOString(),
      operations: structuredClone(operations),
    };
    this.cards.push(card);
    return card;
  }

  current(): Promise<RateCard> {
    return Promise.resolve(this.cards[this.cards.length - 1]);
  }

  version(version: number): Promise<RateCard | null> {
    return Promise.resolve(this.cards.find((card) => card.version === version) ?? null);
  }
}

/**
 * Makes a running app price with `cards`: the app's own RateCards instance (whichever module
 * provides it) answers from the double, so its routes, handlers and decider are the real ones.
 */
export function useRateCards(app: INestApplication, cards: RateCards): void {
  const instance = app.get(RateCards);
  jest.spyOn(instance, 'current').mockImplementation(() => cards.current());
  jest.spyOn(instance, 'version').mockImplementation((version) => cards.version(version));
}

/** Operations of the tests' cards (prices chosen to be easy to check by hand). */
export const TEST_OPERATIONS: Operation[] = [
  {
    operationId: 'stem-separation',
    name: 'Stem separation',
    unit: 'call',
    pricing: { base: 10, perUnit: 0, unitSize: 1, minimum: 10 },
  },
  {
    operationId: 'video-export',
    name: 'Video export',
    unit: 'second',
    // 8 credits per started minute × the resolution's factor.
    pricing: {
      base: 0,
      perUnit: 8,
      unitSize: 60,
      minimum: 8,
      multiplier: { resolution: { '720p': 1, '1080p': 1.5, '4k': 2.5 } },
    },
  },
  {
    operationId: 'ai-generation',
    name: 'AI generation',
    unit: 'call',
    minimumAvailable: 200,
    pricing: {
      base: 20,
      perUnit: 0,
      unitSize: 1,
      minimum: 20,
      multiplier: { complexity: { low: 1, high: 5 } },
    },
  },
];

/** TEST_OPERATIONS with every price doubled: a new card published between a quote and its use. */
export function doubledPrices(operations: Operation[] = TEST_OPERATIONS): Operation[] {
  return operations.map((operation) => ({
    ...operation,
    pricing: {
      ...operation.pricing,
      base: operation.pricing.base * 2,
      perUnit: operation.pricing.perUnit * 2,
      minimum: operation.pricing.minimum * 2,
    },
  }));
}
