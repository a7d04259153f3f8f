import type { PricingRefusal } from '../../pricing/rate-card/price';

/** The rate card cannot price what was asked: no such operation, a bad dimension, too large. */
export class PricingRefusedError extends Error {
  constructor(readonly refusal: PricingRefusal) {
    super(`pricing refused: ${refusal.code}`);
    this.name = 'PricingRefusedError';
  }
}

/** No such quote, or another account's (a caller learns nothing of other accounts' quotes). */
export class QuoteNotFoundError extends Error {
  constructor(readonly quoteId: string) {
    super(`no quote ${quoteId} on this account`);
    this.name = 'QuoteNotFoundError';
  }
}

/** A capture names the quantity used, but its hold was reserved for credits, not an operation. */
export class HoldNotPricedError extends Error {
  constructor(readonly reservationId: string) {
    super(`reservation ${reservationId} was not made by operation`);
    this.name = 'HoldNotPricedError';
  }
}

/** The quantity used costs more, at the hold's card version, than the hold holds. */
export class CaptureOverHoldError extends Error {
  constructor(
    readonly reservationId: string,
    readonly credits: number,
    readonly held: number,
  ) {
    super(`capture of ${credits} credits from reservation ${reservationId} holding ${held}`);
    this.name = 'CaptureOverHoldError';
  }
}
