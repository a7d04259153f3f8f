/** Errors of the gift-code program, with no HTTP in them (gift-code-problems.ts maps them). */

/** No redeemable code is known by that text (404); counts as a wrong guess. */
export class GiftCodeNotFoundError extends Error {
  constructor() {
    super('no such gift code');
    this.name = 'GiftCodeNotFoundError';
  }
}

/** The code's expiry has passed (410). */
export class GiftCodeExpiredError extends Error {
  constructor(readonly expiresAt: string) {
    super(`gift code expired at ${expiresAt}`);
    this.name = 'GiftCodeExpiredError';
  }
}

/** The code was redeemed already (409), as the code table noted. */
export class GiftCodeAlreadyRedeemedError extends Error {
  constructor() {
    super('gift code already redeemed');
    this.name = 'GiftCodeAlreadyRedeemedError';
  }
}

/** A mint asked for an expiry that is not in the future (400). */
export class GiftCodeExpiryInvalidError extends Error {
  constructor(readonly expiresAt: string) {
    super(`expiresAt ${expiresAt} is not in the future`);
    this.name = 'GiftCodeExpiryInvalidError';
  }
}
