import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { AppConfig } from '../config/app-config';
import {
  CheckoutIdempotencyKeyReusedError,
  PaymentProviderError,
  StripeNotConfiguredError,
} from './errors';

/**
 * The SDK, loaded on first use: ≈ 3 MB of heap that a process without STRIPE_SECRET_KEY or
 * STRIPE_WEBHOOK_SECRET (the default start) never needs.
 */
let loadedSdk: typeof Stripe | undefined;
function stripeSdk(): typeof Stripe {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedSdk ??= require('stripe') as typeof Stripe);
}

/** Outbound calls: quick to fail so a checkout request does not hang on Stripe. */
const REQUEST_TIMEOUT_MS = 20_000;
/** The SDK retries network failures and 5xx with idempotency keys it adds itself. */
const MAX_NETWORK_RETRIES = 2;

export type CheckoutSessionParams = Stripe.Checkout.SessionCreateParams;
export type StripeEvent = Stripe.Event;

/**
 * The one place that talks to Stripe's API (from checkout and from saving a pack with a Stripe
 * Price, never while processing a webhook) and verifies webhook signatures with the SDK's own code.
 *
 * STRIPE_API_URL (stripe-mock, or a test server) becomes the SDK's host/port/protocol options; the
 * API paths (/v1/…) are the SDK's own.
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  private readonly client: Stripe | null;

  constructor(private readonly config: AppConfig) {
    const { secretKey } = config.stripe;
    this.client = secretKey
      ? new (stripeSdk())(secretKey, clientOptions(config.stripe.apiUrl))
      : null;
  }

  get paymentsEnabled(): boolean {
    return this.client !== null;
  }

  get webhooksEnabled(): boolean {
    return this.config.stripe.webhookSecret !== null;
  }

  /** Fails with 503 `unavailable` when STRIPE_SECRET_KEY is missing. */
  requirePayments(feature: string): void {
    if (!this.client) throw new StripeNotConfiguredError('STRIPE_SECRET_KEY', feature);
  }

  async createCustomer(accountId: string): Promise<string> {
    const customer = await this.call('customers.create', (stripe) =>
      stripe.customers.create(
        { metadata: { accountId }, description: `credits ledger account ${accountId}` },
        // Two checkouts racing for a new account get the same Customer back from Stripe.
        { idempotencyKey: `credits-ledger-customer:${accountId}` },
      ),
    );
    return customer.id;
  }

  /** `idempotencyKey`: a repeat within Stripe's 24 hours answers the same session. */
  async createCheckoutSession(
    params: CheckoutSessionParams,
    idempotencyKey?: string,
  ): Promise<Stripe.Checkout.Session> {
    return this.call('checkout.sessions.create', (stripe) =>
      stripe.checkout.sessions.create(
        params,
        idempotencyKey === undefined ? undefined : { idempotencyKey },
      ),
    );
  }

  /**
   * An off-session PaymentIntent, confirmed at once (auto top-up: docs/subscriptions.md), on a
   * payment method saved at a Checkout. `idempotencyKey`: one per attempt, so a retried call never
   * charges twice. A decline is not thrown: Stripe answers it with the failed PaymentIntent (its
   * `payment_intent.payment_failed` event follows), returned here as `declined`.
   */
  async createOffSessionPaymentIntent(
    params: Stripe.PaymentIntentCreateParams,
    idempotencyKey: string,
  ): Promise<{ paymentIntentId: string; declined: boolean }> {
    return this.call('paymentIntents.create', async (stripe) => {
      try {
        const intent = await stripe.paymentIntents.create(
          { ...params, off_session: true, confirm: true },
          { idempotencyKey },
        );
        return { paymentIntentId: intent.id, declined: false };
      } catch (error) {
        const declined =
          error instanceof stripeSdk().errors.StripeCardError ? error.payment_intent : undefined;
        if (declined?.id) return { paymentIntentId: declined.id, declined: true };
        throw error;
      }
    });
  }

  /**
   * A Price by id, or null when Stripe has no such Price (to check a pack's stripePriceId charges
   * the pack's price: stripe-price-check.ts).
   */
  async retrievePrice(priceId: string): Promise<Stripe.Price | null> {
    return this.call('prices.retrieve', async (stripe) => {
      try {
        return await stripe.prices.retrieve(priceId);
      } catch (error) {
        if (
          error instanceof stripeSdk().errors.StripeInvalidRequestError &&
          error.code === 'resource_missing'
        )
          return null;
        throw error;
      }
    });
  }

  /**
   * Verifies the Stripe-Signature header on the exact bytes received and parses the event; throws
   * Stripe's StripeSignatureVerificationError for a bad signature or a timestamp outside the
   * tolerance either way (measured against `receivedAtMs`, the service clock). The SDK refuses only
   * old timestamps; one from the future is refused here, so a signed request captured with a skewed
   * clock cannot be replayed for longer than the tolerance (docs/stripe.md: "within tolerance").
   */
  constructEvent(rawBody: Buffer, signatureHeader: string, receivedAtMs: number): StripeEvent {
    const secret = this.config.stripe.webhookSecret;
    if (!secret) throw new StripeNotConfiguredError('STRIPE_WEBHOOK_SECRET', 'The Stripe webhook');
    const toleranceSeconds = this.config.stripe.webhookToleranceSeconds;
    const event = stripeSdk().webhooks.constructEvent(
      rawBody,
      signatureHeader,
      secret,
      toleranceSeconds,
      undefined,
      receivedAtMs,
    );
    const signedAtSeconds = signatureTimestamp(signatureHeader);
    if (signedAtSeconds - Math.floor(receivedAtMs / 1000) > toleranceSeconds) {
      throw new (stripeSdk().errors.StripeSignatureVerificationError)(
        signatureHeader,
        rawBody.toString('utf8'),
        { message: FUTURE_TIMESTAMP },
      );
    }
    return event;
  }

  private async call<T>(operation: string, run: (stripe: Stripe) => Promise<T>): Promise<T> {
    if (!this.client) throw new StripeNotConfiguredError('STRIPE_SECRET_KEY', 'Payments');
    try {
      return await run(this.client);
    } catch (error) {
      const stripeError = error as {
        type?: string;
        code?: string;
        statusCode?: number;
        requestId?: string;
        message?: string;
      };
      this.logger.error(
        {
          operation,
          type: stripeError.type,
          code: stripeError.code,
          statusCode: stripeError.statusCode,
          requestId: stripeError.requestId,
          message: stripeError.message,
        },
        'Stripe API call failed',
      );
      if (error instanceof stripeSdk().errors.StripeIdempotencyError) {
        throw new CheckoutIdempotencyKeyReusedError();
      }
      throw new PaymentProviderError(operation, error);
    }
  }
}

export function isSignatureError(error: unknown): boolean {
  // No SDK loaded, no Stripe error to be.
  return (
    loadedSdk !== undefined && error instanceof loadedSdk.errors.StripeSignatureVerificationError
  );
}

const FUTURE_TIMESTAMP = 'Timestamp in the future, outside the tolerance zone';

/** Why a signature was refused, for the problem's message: nothing about the secret. */
export function signatureFailure(error: unknown): 'too old' | 'in the future' | 'mismatch' {
  const message = error instanceof Error ? error.message : '';
  if (message === FUTURE_TIMESTAMP) return 'in the future';
  return /tolerance/i.test(message) ? 'too old' : 'mismatch';
}

/** The `t=` element of a Stripe-Signature header, as the SDK reads it (after it verified the header). */
function signatureTimestamp(header: string): number {
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') return Number.parseInt(value ?? '', 10);
  }
  return Number.NaN;
}

function clientOptions(apiUrl: string | null): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = {
    maxNetworkRetries: MAX_NETWORK_RETRIES,
    timeout: REQUEST_TIMEOUT_MS,
    telemetry: false,
  };
  if (!apiUrl) return options;
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    ...options,
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
  };
}
