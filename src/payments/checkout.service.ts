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
  ) {}

  async createSession(
    request: CheckoutSessionRequest,
    idempotencyKey?: string,
  ): Promise<CheckoutSessionResponse> {
    this.gateway.requirePayments('Checkout');
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
    const params: CheckoutSessionParams = {
      mode: 'payment',
      customer,
      client_reference_id: request.accountId,
      line_items: [lineItem(pack)],
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

  /** The account's Stripe Customer, created at its first checkout and reused afterwards. */
  private async customerFor(accountId: string): Promise<string> {
    const known = await this.customers.find(accountId);
    if (known) return known;
    const created = await this.gateway.createCustomer(accountId);
    return this.customers.remember(accountId, created, this.clock.now());
  }
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
