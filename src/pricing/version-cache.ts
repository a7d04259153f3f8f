import type { RateCard } from './rate-card/rate-card';

/**
 * Older versions of the card, least recently used dropped first. A hold is captured, and a quote
 * spent, at the version it was priced with, so recent versions are asked for again and again; an
 * old one costs one event read when it is not here.
 */
export class VersionCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly cards = new Map<number, RateCard>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  get size(): number {
    return this.cards.size;
  }

  get(version: number): RateCard | undefined {
    const card = this.cards.get(version);
    if (card !== undefined) {
      this.cards.delete(version);
      this.cards.set(version, card);
    }
    return card;
  }

  set(card: RateCard): void {
    this.cards.delete(card.version);
    this.cards.set(card.version, card);
    if (this.cards.size > this.maxEntries) {
      const oldest = this.cards.keys().next().value as number;
      this.cards.delete(oldest);
    }
  }
}
