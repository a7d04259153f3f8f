/**
 * Errors of the subscriptions feature, with no HTTP in them: SubscriptionsModule maps them
 * (subscription-problems.ts).
 */

export interface InvalidField {
  field: string;
  message: string;
}

/** A request naming bad fields (400 `validation_failed`). */
export class SubscriptionRequestInvalidError extends Error {
  constructor(readonly fields: InvalidField[]) {
    super(fields.map(({ field, message }) => `${field}: ${message}`).join('; '));
    this.name = 'SubscriptionRequestInvalidError';
  }
}

/** POST of a planId the catalog already has (409 `plan_exists`). */
export class PlanExistsError extends Error {
  constructor(readonly planId: string) {
    super(`plan ${planId} already exists`);
    this.name = 'PlanExistsError';
  }
}

/** Other writers kept changing the plan catalog (409 `concurrency_conflict`). */
export class PlanCatalogConflictError extends Error {
  constructor(readonly attempts: number) {
    super(`the plan catalog changed under ${attempts} attempts in a row`);
    this.name = 'PlanCatalogConflictError';
  }
}

/** The account has no subscription (404 `not_found`). */
export class SubscriptionNotFoundError extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} has no subscription`);
    this.name = 'SubscriptionNotFoundError';
  }
}

/** Auto top-up needs a payment method saved at a previous Checkout (409 `no_payment_method`). */
export class NoPaymentMethodError extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} has no saved payment method`);
    this.name = 'NoPaymentMethodError';
  }
}
