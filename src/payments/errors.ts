/**
 * Errors of the payments feature. PaymentsModule registers their problems (payment-problems.ts):
 * none of their messages (which may quote Stripe's answer) reaches a client.
 */

/** A field of a request and what is wrong with it, as the problem's `errors[]` names it. */
export interface InvalidField {
  field: string;
  message: string;
}

/** A checkout request the catalog or the UI mode refuses (400 `validation_failed`). */
export class CheckoutRequestInvalidError extends Error {
  constructor(readonly fields: InvalidField[]) {
    super(fields.map(({ field, message }) => `${field}: ${message}`).join('; '));
    this.name = 'CheckoutRequestInvalidError';
  }
}

/**
 * A webhook delivery refused before processing (400 `validation_failed`): no or a bad signature,
 * or a body that is no Stripe event. Nothing is recorded.
 */
export class WebhookDeliveryInvalidError extends Error {
  constructor(
    readonly fields: InvalidField[],
    /** The problem's detail, when the fields alone do not say it best. */
    readonly detail?: string,
  ) {
    super(detail ?? fields.map(({ field, message }) => `${field}: ${message}`).join('; '));
    this.name = 'WebhookDeliveryInvalidError';
  }
}

/** Stripe refused an Idempotency-Key already used with a different checkout request (409). */
export class CheckoutIdempotencyKeyReusedError extends Error {
  constructor() {
    super('Stripe refused an Idempotency-Key used with a different checkout request');
    this.name = 'CheckoutIdempotencyKeyReusedError';
  }
}

/** The route needs a Stripe setting that is not configured (503 `unavailable`). */
export class StripeNotConfiguredError extends Error {
  constructor(
    readonly setting: 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET',
    readonly feature: string,
  ) {
    super(`${feature} is not available: ${setting} is not configured`);
    this.name = 'StripeNotConfiguredError';
  }
}

/**
 * The pack's Stripe Price does not charge the pack's price (it was saved while Stripe could not be
 * asked): selling it would take money the webhook could not credit, so it is not sold (503) until
 * an admin fixes the pack.
 */
export class PackPriceMismatchError extends Error {
  constructor(
    readonly packId: string,
    readonly reason: string,
  ) {
    super(`pack ${packId}: its stripePriceId ${reason}`);
    this.name = 'PackPriceMismatchError';
  }
}

/** Stripe's API failed or refused an outbound call (creating a Customer or a Checkout Session). */
export class PaymentProviderError extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Stripe ${operation} failed`, { cause });
    this.name = 'PaymentProviderError';
  }
}

/**
 * Processing a verified webhook event failed (database or event store trouble, a bug). Answered
 * with a 5xx so that Stripe delivers the event again; processing is idempotent, so a retry finishes
 * whatever the failed attempt left undone.
 */
export class StripeEventProcessingError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    cause: unknown,
  ) {
    super(`processing Stripe event ${eventId} (${eventType}) failed`, { cause });
    this.name = 'StripeEventProcessingError';
  }
}
