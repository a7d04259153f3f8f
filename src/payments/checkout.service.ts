import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../shared/clock';
import { grantedCredits, notOnSaleReason, type CreditPack } from './catalog/credit-pack';
import { CreditPackCatalog } from './credit-pack-catalog';
import { packsOnSale } from './credit-pack-view';
import type { CheckoutSessionRequest, CheckoutSessionResponse } from './dto';
import {
  CheckoutRequestInvalidError,
  PackPriceMismatchError,
  PaymentProviderError,
  type InvalidField,
} from './errors';
import { StripePriceCheck } from './stripe-price-check';
import { CheckoutExtensions } from './checkout-extensions';
import { CheckoutSessionsRepository } from './checkout-sessions.repository';
import { StripeCustomersRepository } from './stripe-customers.repository';
import { StripeGateway, type CheckoutSessionParams } from './stripe-gateway';

type CheckoutLineItem = NonNullable<CheckoutSessionParams['line_items']>[number];

/**
 * Creates Stripe Checkout Sessions for packs on sale. The amount is the catalog's (the pack's Stripe
 * Price, or inline price_data); the account id, the pack, its credits and the catalog revision they
 * come from travel in the session's client_reference_id and metadata (also copied to the
 * PaymentIntent, hence to its Charge), which the signed webhook events bring back, and are recorded
 * in checkout_sessions. Nothing is credited here: only the webhook does that.
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
    private readonly prices: StripePriceCheck,
    private readonly extensions: CheckoutExtensions,
  ) {}

  async createSession(
    request: CheckoutSessionRequest,
    idempotencyKey?: string,
  ): Promise<CheckoutSessionResponse> {
    this.gateway.requirePayments('Checkout');
    if (request.planId !== undefined || request.packId === undefined)
      return this.createExtensionSession(request, idempotencyKey);
    const catalog = await this.catalog.current();
    const now = this.clock.now();
    const pack = catalog.packs.get(request.packId)?.pack;
    const invalid: InvalidField[] = [];
    if (!pack) {
      const onSale = packsOnSale(catalog, now)
        .map((candidate) => candidate.packId)
        .join(', ');
      invalid.push({ field: 'packId', message: `is not in the catalog (on sale: ${onSale})` });
    } else {
      // Retired or outside its window: not for sale, whatever an old pricing page still shows.
      const notOnSale = notOnSaleReason(pack, now);
      if (notOnSale !== null) invalid.push({ field: 'packId', message: notOnSale });
    }
    if (request.uiMode === 'hosted' && request.returnUrl === undefined)
      invalid.push({ field: 'returnUrl', message: 'is required when uiMode is hosted' });
    if (!pack || invalid.length > 0) throw new CheckoutRequestInvalidError(invalid);
    const priceProblem = await this.prices.problem(pack, { forSaving: false });
    if (priceProblem !== null) {
      this.logger.error(
        { packId: pack.packId, stripePriceId: pack.stripePriceId, problem: priceProblem },
        'pack not sold: its Stripe Price does not charge its price',
      );
      throw new PackPriceMismatchError(pack.packId, priceProblem);
    }
    const credits = grantedCredits(pack);
    const customer = await this.customerFor(request.accountId);
    // What this session buys, fixed now: the webhook credits the pack as it was at catalogRevision
    // (the catalog never forgets a version), so an edit made before the payment lands changes nothing.
    const metadata = {
      accountId: request.accountId,
      packId: pack.packId,
      credits: String(credits),
      bonusCredits: String(pack.bonusCredits),
      catalogRevision: String(catalog.revision),
    };
    // Auto top-up (PRODUCT.md §4): the payment method is saved for off-session charges, with the
    // consent Checkout shows for setup_future_usage; the webhook records it from the PaymentIntent.
    const saveMethod = request.saveForAutoTopUp === true;
    const params: CheckoutSessionParams = {
      mode: 'payment',
      customer,
      client_reference_id: request.accountId,
      line_items: [lineItem(pack)],
      metadata,
      payment_intent_data: {
        metadata: saveMethod ? { ...metadata, saveForAutoTopUp: 'true' } : metadata,
        ...(saveMethod && { setup_future_usage: 'off_session' }),
      },
      ...uiParams(request),
    };
    const session = await this.gateway.createCheckoutSession(
      params,
      stripeKeyOf(request, idempotencyKey),
    );
    const answer = answerOf(request, session);
    // Open until a webhook says otherwise; support sees it (GET /v1/accounts/{id}/checkout-sessions).
    await this.sessions.record(
      {
        sessionId: session.id,
        accountId: request.accountId,
        packId: pack.packId,
        amountMinor: pack.price.minor,
        currency: pack.price.currency,
        credits,
        bonusCredits: pack.bonusCredits,
        catalogRevision: catalog.revision,
        status: 'open',
        createdAt: typeof session.created === 'number' ? new Date(session.created * 1000) : now,
      },
      this.clock.now(),
    );
    this.logger.log(
      {
        accountId: request.accountId,
        packId: pack.packId,
        credits,
        catalogRevision: catalog.revision,
        sessionId: session.id,
        uiMode: request.uiMode,
      },
      'checkout session created',
    );
    return answer;
  }

  /**
   * A checkout another feature sells (a subscription plan, `planId`): its params come from the
   * feature (CheckoutExtensions); the customer, UI mode, Idempotency-Key and answer are the packs'.
   */
  private async createExtensionSession(
    request: CheckoutSessionRequest,
    idempotencyKey: string | undefined,
  ): Promise<CheckoutSessionResponse> {
    const invalid: InvalidField[] = [];
    if (request.planId !== undefined && request.packId !== undefined)
      invalid.push({ field: 'planId', message: 'give either packId or planId, not both' });
    if (request.planId === undefined && request.packId === undefined)
      invalid.push({ field: 'packId', message: 'a packId (or a planId) is required' });
    if (request.planId !== undefined && request.saveForAutoTopUp !== undefined)
      invalid.push({ field: 'saveForAutoTopUp', message: 'is for pack checkouts only' });
    if (request.uiMode === 'hosted' && request.returnUrl === undefined)
      invalid.push({ field: 'returnUrl', message: 'is required when uiMode is hosted' });
    const checkout = this.extensions.planCheckout;
    if (invalid.length === 0 && !checkout)
      invalid.push({ field: 'planId', message: 'subscriptions are not available' });
    if (invalid.length > 0 || !checkout) throw new CheckoutRequestInvalidError(invalid);
    const sold = await checkout(request);
    const customer = await this.customerFor(request.accountId);
    const params = {
      ...sold.params,
      customer,
      client_reference_id: request.accountId,
      ...uiParams(request),
    } as CheckoutSessionParams;
    const session = await this.gateway.createCheckoutSession(
      params,
      stripeKeyOf(request, idempotencyKey),
    );
    const answer = answerOf(request, session);
    await this.sessions.record(
      {
        sessionId: session.id,
        accountId: request.accountId,
        packId: null,
        amountMinor: sold.amount.minor,
        currency: sold.amount.currency,
        status: 'open',
        createdAt:
          typeof session.created === 'number' ? new Date(session.created * 1000) : this.clock.now(),
      },
      this.clock.now(),
    );
    this.logger.log(
      {
        accountId: request.accountId,
        ...sold.describe,
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

function stripeKeyOf(
  request: CheckoutSessionRequest,
  idempotencyKey: string | undefined,
): string | undefined {
  return idempotencyKey === undefined
    ? undefined
    : `credits-ledger-checkout:${request.accountId}:${idempotencyKey}`;
}

/** Embedded: the client secret for Stripe.js; hosted: the page's URL. */
function answerOf(
  request: CheckoutSessionRequest,
  session: { id: string; client_secret?: string | null; url?: string | null },
): CheckoutSessionResponse {
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
      throw new PaymentProviderError('checkout.sessions.create', new Error('no url in the answer'));
    answer.url = session.url;
  }
  return answer;
}

/**
 * The pack's Stripe Price when it has one (its amount is the Price's, which must be the pack's
 * price: the webhook credits only a payment of the pack's price); otherwise the price inline.
 */
function lineItem(pack: CreditPack): CheckoutLineItem {
  if (pack.stripePriceId !== null) return { price: pack.stripePriceId, quantity: 1 };
  const credits = grantedCredits(pack);
  return {
    quantity: 1,
    price_data: {
      currency: pack.price.currency.toLowerCase(),
      unit_amount: pack.price.minor,
      product_data: {
        name:
          pack.bonusCredits === 0
            ? `${pack.name}: ${credits} credits`
            : `${pack.name}: ${credits} credits (${pack.bonusCredits} bonus)`,
        metadata: { packId: pack.packId },
      },
    },
  };
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
