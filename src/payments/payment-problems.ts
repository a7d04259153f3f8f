import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  CheckoutIdempotencyKeyReusedError,
  CheckoutRequestInvalidError,
  PackPriceMismatchError,
  PaymentProviderError,
  StripeEventProcessingError,
  StripeNotConfiguredError,
  WebhookDeliveryInvalidError,
} from './errors';
import {
  CatalogConcurrencyError,
  CatalogIdempotencyKeyReusedError,
  CreditPackExistsError,
  CreditPackInvalidError,
  CreditPackNotFoundError,
} from './catalog/catalog-errors';

/** The payments feature's errors as problems (registered by PaymentsModule). */
export const PAYMENT_PROBLEMS: ProblemMappings = [
  mapError(CheckoutRequestInvalidError, (error) => validationProblem(error.fields)),
  mapError(WebhookDeliveryInvalidError, (error) => validationProblem(error.fields, error.detail)),
  mapError(CheckoutIdempotencyKeyReusedError, () =>
    problem(
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different checkout request',
    ),
  ),
  // The pack catalog (docs/stripe.md "The pack catalog").
  mapError(CreditPackInvalidError, (error) => validationProblem(error.fields)),
  mapError(CreditPackExistsError, (error) =>
    problem(
      'credit_pack_exists',
      `The catalog already has a pack ${error.packId} (retired packs keep their id): use PUT to change it`,
      { packId: error.packId },
    ),
  ),
  mapError(CreditPackNotFoundError, (error) =>
    problem('not_found', `The catalog has no pack ${error.packId}`),
  ),
  mapError(CatalogIdempotencyKeyReusedError, () =>
    problem(
      'idempotency_key_reused',
      'This Idempotency-Key was used for a different catalog change',
    ),
  ),
  mapError(CatalogConcurrencyError, () =>
    problem(
      'concurrency_conflict',
      'The catalog kept changing under this request; read it again and retry',
    ),
  ),
  mapError(StripeNotConfiguredError, (error) =>
    problem(
      'unavailable',
      `${error.feature} is not available: payments with Stripe are not configured on this service (${error.setting})`,
    ),
  ),
  mapError(PackPriceMismatchError, (error) =>
    problem(
      'unavailable',
      `Pack ${error.packId} cannot be sold now: its Stripe Price does not charge its price; an admin must correct the pack`,
    ),
  ),
  // UI.md: a refused session creation is 502 payment_provider_error (the widget shows its retry).
  mapError(PaymentProviderError, () =>
    problem('payment_provider_error', 'Stripe did not accept the request; retry later'),
  ),
  // Any 5xx makes Stripe deliver the event again; 503 when the cause passes by itself (its owner
  // declares it transient: the event store unreachable, an account too busy).
  mapError(StripeEventProcessingError, (error, causes) =>
    problem(
      causes.isTransient(error.cause) ? 'unavailable' : 'internal_error',
      'The Stripe event could not be processed now; it has been logged and Stripe will deliver it again',
    ),
  ),
];
