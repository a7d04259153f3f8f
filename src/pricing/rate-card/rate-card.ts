/**
 * The rate card's vocabulary (PRODUCT.md §1). Plain data, as published in `RateCardPublished` and
 * answered by `GET /v1/rate-card`. Credits are integers; multiplier factors are JSON numbers with
 * at most 3 decimals, so they are exact in thousandths (`price.ts` computes in integers).
 */

/** `{ <dimension>: { <value>: <factor> } }`, e.g. `{ resolution: { '1080p': 1, '4k': 2.5 } }`. */
export type Multipliers = Record<string, Record<string, number>>;

export interface OperationPricing {
  /** Credits charged whatever the quantity. */
  base: number;
  /** Credits per started unit of `unitSize`. */
  perUnit: number;
  /** How much quantity one unit is (a quantity of 61 seconds with unitSize 60 is 2 units). */
  unitSize: number;
  /** The least an operation costs before multipliers. */
  minimum: number;
  multiplier?: Multipliers;
}

export interface Operation {
  /** Stable id products send (`video-export`). */
  operationId: string;
  name: string;
  /** What quantity counts, for people: `call`, `minute`, `second`. */
  unit: string;
  /** The operation cannot start unless the account has at least this many credits available. */
  minimumAvailable?: number;
  pricing: OperationPricing;
}

export interface RateCard {
  /** 1 for the first card published; the default card (never published) is version 0. */
  version: number;
  publishedAt: string;
  operations: Operation[];
}

/** What a caller asks to price: `{ operation, quantity?, dimensions? }`. */
export interface PriceRequest {
  operation: string;
  /** Defaults to 1. */
  quantity?: number;
  dimensions?: Record<string, string>;
}
