/** Errors of the referral program, with no HTTP in them (referral-problems.ts maps them). */

/** The referee already has a referral (409 referral_exists). */
export class ReferralExistsError extends Error {
  constructor(readonly referee: string) {
    super(`${referee} already has a referral`);
    this.name = 'ReferralExistsError';
  }
}

/** An account cannot refer itself (400). */
export class SelfReferralError extends Error {
  constructor() {
    super('referrer and referee are the same account');
    this.name = 'SelfReferralError';
  }
}
