/**
 * Errors of the Stripe integration. src/http/errors/to-problem.ts maps them to problem details:
 * none of their messages (which may quote Stripe's answer) reaches a client.
 */

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
