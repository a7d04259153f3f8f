import type { CardProblem } from './rate-card/validate-card';

/**
 * Errors of the pricing feature, with no HTTP in them. PricingModule registers their problems
 * (pricing-problems.ts).
 */

/** The card to publish has problems (every one listed); nothing was published (400). */
export class RateCardInvalidError extends Error {
  constructor(readonly problems: CardProblem[]) {
    super(`rate card not published: ${problems.length} problem(s)`);
    this.name = 'RateCardInvalidError';
  }
}

/** No card was ever published with this version (404). */
export class RateCardVersionNotFoundError extends Error {
  constructor(readonly version: number) {
    super(`no rate card version ${version}`);
    this.name = 'RateCardVersionNotFoundError';
  }
}

/** Every attempt to publish lost the race to another publisher (409, safe to retry). */
export class RateCardPublishConflictError extends Error {
  constructor(readonly attempts: number) {
    super(`the rate card kept changing under concurrent publications (${attempts} attempts)`);
    this.name = 'RateCardPublishConflictError';
  }
}

/** The card's stream holds something no publication wrote: a bug or a hand edit (500). */
export class RateCardStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RateCardStreamError';
  }
}
