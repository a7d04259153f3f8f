/**
 * The catalog's refusals, with no HTTP in them: PaymentsModule maps them (payment-problems.ts).
 * Each one means nothing was written.
 */

export interface PackFieldProblem {
  field: string;
  message: string;
}

/** A pack the rules refuse (400 `validation_failed`, every bad field named). */
export class CreditPackInvalidError extends Error {
  constructor(readonly fields: PackFieldProblem[]) {
    super(fields.map(({ field, message }) => `${field}: ${message}`).join('; '));
    this.name = 'CreditPackInvalidError';
  }
}

/** POST of a packId the catalog already has, retired or not (409 `credit_pack_exists`). */
export class CreditPackExistsError extends Error {
  constructor(readonly packId: string) {
    super(`credit pack ${packId} already exists`);
    this.name = 'CreditPackExistsError';
  }
}

/** A packId the catalog has never had (404 `not_found`). */
export class CreditPackNotFoundError extends Error {
  constructor(readonly packId: string) {
    super(`no credit pack ${packId}`);
    this.name = 'CreditPackNotFoundError';
  }
}

/** An Idempotency-Key already used for a different catalog change (409 `idempotency_key_reused`). */
export class CatalogIdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was used for a different catalog change');
    this.name = 'CatalogIdempotencyKeyReusedError';
  }
}

/** Other writers kept changing the catalog; every retry lost (409 `concurrency_conflict`). */
export class CatalogConcurrencyError extends Error {
  constructor(readonly attempts: number) {
    super(`the credit-pack catalog changed under ${attempts} attempts in a row`);
    this.name = 'CatalogConcurrencyError';
  }
}
