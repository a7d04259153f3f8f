import type { Operation } from './rate-card';

/**
 * The rate card's one event: a whole card, published. A card replaces the one before it entirely
 * (`PUT /v1/rate-card`), so the newest event alone is the current card, and version n is the event
 * at revision n − 1 of the card's stream: a version is read with one event, never a replay. Who
 * published it (the actor), when, and the request it came from are in the event's metadata.
 */
export const RATE_CARD_PUBLISHED = 'RateCardPublished';

export interface RateCardPublishedData {
  /** 1 for the first card published, then each publication the next integer. */
  version: number;
  operations: Operation[];
  /** ISO-8601 instant the card took effect. */
  publishedAt: string;
}

export interface RateCardPublished {
  type: typeof RATE_CARD_PUBLISHED;
  data: RateCardPublishedData;
}
