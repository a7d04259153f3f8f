import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../shared/clock';
import { CreditPackCatalog } from './credit-pack-catalog';
import type { CheckoutSessionRequest, CheckoutSessionResponse } from './dto';
import { CheckoutRequestInvalidError, PaymentProviderError } from './errors';
import { CheckoutSessionsRepository } from './checkout-sessions.repository';
import { StripeCustomersRepository } from './stripe-customers.repository';
import { StripeGateway, type CheckoutSessionParams } from './stripe-gateway';

/**
 * Creates Stripe Checkout Sessions for catalog packs. The amount is the catalog's (inline
 * price_data, no Stripe Product or Price needed); the account id and pack travel in the session's
 * client_reference_id and metadata (also copied to the PaymentIntent, hence to its Charge), which
 * the signed webhook events bring back. Nothing is credited here: only the webhook does that.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);

  constructor(
    private readonly gateway: StripeGateway,
    private readonly catalog: CreditPackCatalog,
    private readonly customers: StripeCustomersRepository,
    private readonly clock: Clock,
    private readonly sessions: CheckoutSessionsRepository,
  ) {}

  async createSession(
    request: CheckoutSessionRequest,
    idempotencyKey?: string,
  ): Promise<CheckoutSessionResponse> {
    this.gateway.requirePayments('Checkout');
    const pack = this.catalog.find(request.packId);
    if (!pack) {
      const known = this.catalog
        .list()
        .map((candidate) => candidate.packId)
        .join(', ');
      throw new CheckoutRequestInvalidError([
        { field: 'packId', message: `is not in the catalog (${known})` },
      ]);
    }
    if (request.uiMode === 'hosted' && request.returnUrl === undefined) {
      throw new CheckoutRequestInvalidError([
        { field: 'returnUrl', message: 'is required when uiMode is hosted' },
      ]);
    }
    const customer = await this.customerFor(request.accountId);
    const metadata = {
      accountId: request.accountId,
      packId: pack.packId,
      credits: String(pack.credits),
    };
    const params: CheckoutSessionParams = {
      mode: 'payment',
      customer,
      client_reference_id: request.accountId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: pack.price.currency.toLowerCase(),
            unit_amount: pack.price.minor,
            product_data: {
              name: `${pack.name}: ${pack.credits} credits`,
              metadata: { packId: pack.packId },
            },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata },
      ...uiParams(request),
    };
    const stripeKey =
      idempotencyKey === undefined
        ? undefined
        : `credits-ledger-checkout:${request.accountId}:${idempotencyKey}`;
    const session = await this.gateway.createCheckoutSession(params, stripeKey);
    const answer: CheckoutSessionResponse = { sessionId: session.id };
    if (request.uiMode === 'embedded') {
      if (!session.client_secret)
        throw new PaymentProviderError(
          'checkout.sessions.create',
          new Error('no client_secret in the answer'),
        );
      answer.clientSecret = session.client_secret;
    } else {
      if (!session.url)
        throw new PaymentProviderError(
          'checkout.sessions.create',
          new Error('no url in the answer'),
        );
      answer.url = session.url;
    }
    // Open until a webhook says otherwise; support sees it (GET /v1/accounts/{id}/checkout-sessions).
    const now = this.clock.now();
    await this.sessions.record(
      {
        sessionId: session.id,
        accountId: request.accountId,
        packId: pack.packId,
        amountMinor: pack.price.minor,
        currency: pack.price.currency,
        status: 'open',
        createdAt: typeof session.created === 'number' ? new Date(session.created * 1000) : now,
      },
      now,
    );
    this.logger.log(
      {
        accountId: request.accountId,
        packId: pack.packId,
        sessionId: session.id,
        uiMode: request.uiMode,
      },
      'checkout session created',
    );
    return answer;
  }

  /** The account's Stripe Customer, created at its first checkout and reused afterwards. */
  private async customerFor(accountId: string): Promise<string> {
    const known = await this.customers.find(accountId);
    if (known) return known;
    const created = await this.gateway.createCustomer(accountId);
    return this.customers.remember(accountId, created, this.clock.now());
  }
}

/**
 * Stripe's ui_mode values since API version 2026-03-25 are embedded_page and hosted_page. An
 * embedded session without a returnUrl never redirects (redirect-based payment methods are then
 * not offered); with one, it redirects only when the payment method requires it.
 */
function uiParams(request: CheckoutSessionRequest): Partial<CheckoutSessionParams> {
  if (request.uiMode === 'hosted') {
    return {
      ui_mode: 'hosted_page',
      success_url: request.returnUrl,
      cancel_url: request.returnUrl,
    };
  }
  return request.returnUrl === undefined
    ? { ui_mode: 'embedded_page', redirect_on_completion: 'never' }
    : {
        ui_mode: 'embedded_page',
        redirect_on_completion: 'if_required',
        return_url: request.returnUrl,
      };
}
