import type Stripe from 'stripe';
import { event, stripeId, type StripeEventJson } from '../../payments/support/stripe-events';

/**
 * Stripe Billing objects in the shapes of the `stripe` package's pinned API version: each builder
 * returns the fields the service reads, typed by the SDK's own types (a renamed or moved field in
 * the pinned version fails to compile here), as the webhook receives them.
 */

type LineItem = Pick<Stripe.InvoiceLineItem, 'id' | 'object' | 'amount' | 'currency' | 'period'> & {
  parent: Pick<Stripe.InvoiceLineItem.Parent, 'type'> & {
    subscription_item_details: Pick<
      Stripe.InvoiceLineItem.Parent.SubscriptionItemDetails,
      'proration' | 'subscription' | 'subscription_item' | 'invoice_item'
    >;
  };
  pricing: Pick<Stripe.InvoiceLineItem.Pricing, 'type'> & {
    price_details: Stripe.InvoiceLineItem.Pricing.PriceDetails;
  };
};

export type InvoiceJson = Pick<
  Stripe.Invoice,
  | 'id'
  | 'object'
  | 'customer'
  | 'billing_reason'
  | 'status'
  | 'amount_paid'
  | 'currency'
  | 'period_start'
  | 'period_end'
  | 'livemode'
> & {
  parent: Pick<Stripe.Invoice.Parent, 'type' | 'quote_details'> & {
    subscription_details: Pick<
      Stripe.Invoice.Parent.SubscriptionDetails,
      'metadata' | 'subscription'
    >;
  };
  lines: { object: 'list'; data: LineItem[]; has_more: boolean; url: string };
};

export type SubscriptionJson = Pick<
  Stripe.Subscription,
  | 'id'
  | 'object'
  | 'customer'
  | 'status'
  | 'cancel_at_period_end'
  | 'ended_at'
  | 'metadata'
  | 'livemode'
  | 'created'
> & {
  items: {
    object: 'list';
    data: Array<
      Pick<
        Stripe.SubscriptionItem,
        'id' | 'object' | 'current_period_start' | 'current_period_end' | 'quantity'
      > & { price: Pick<Stripe.Price, 'id' | 'object' | 'type' | 'unit_amount' | 'currency'> }
    >;
    has_more: boolean;
    url: string;
  };
};

export type PaymentIntentJson = Pick<
  Stripe.PaymentIntent,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_received'
  | 'currency'
  | 'customer'
  | 'metadata'
  | 'payment_method'
  | 'setup_future_usage'
  | 'status'
  | 'livemode'
> & {
  last_payment_error: Pick<
    Stripe.PaymentIntent.LastPaymentError,
    'code' | 'message' | 'type'
  > | null;
};

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export interface InvoiceOptions {
  subscriptionId: string;
  accountId?: string | null;
  planId?: string;
  customer?: string;
  priceId: string;
  periodStart: string;
  periodEnd: string;
  amount?: number;
  billingReason?: Stripe.Invoice.BillingReason;
  invoiceId?: string;
  /** Proration lines only (an upgrade's invoice). */
  prorationOnly?: boolean;
}

export function invoice(options: InvoiceOptions): InvoiceJson {
  const id = options.invoiceId ?? stripeId('in');
  const metadata =
    options.accountId === null
      ? {}
      : {
          accountId: options.accountId ?? 'unknown',
          ...(options.planId && { planId: options.planId }),
        };
  const line = (proration: boolean): LineItem => ({
    id: stripeId('il'),
    object: 'line_item',
    amount: options.amount ?? 2900,
    currency: 'usd',
    period: { start: seconds(options.periodStart), end: seconds(options.periodEnd) },
    parent: {
      type: 'subscription_item_details',
      subscription_item_details: {
        proration,
        subscription: options.subscriptionId,
        subscription_item: 'si_test_1',
        invoice_item: null,
      },
    },
    pricing: {
      type: 'price_details',
      price_details: { price: options.priceId, product: 'prod_test' },
    },
  });
  return {
    id,
    object: 'invoice',
    customer: options.customer ?? 'cus_test_customer',
    billing_reason: options.billingReason ?? 'subscription_cycle',
    status: 'paid',
    amount_paid: options.amount ?? 2900,
    currency: 'usd',
    // Stripe's invoice-level period is the previous one for a renewal: the service reads the line's.
    period_start: seconds(options.periodStart) - 30 * 86_400,
    period_end: seconds(options.periodStart),
    livemode: false,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata, subscription: options.subscriptionId },
    },
    lines: {
      object: 'list',
      data: options.prorationOnly ? [line(true)] : [line(false)],
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
  };
}

export interface SubscriptionOptions {
  subscriptionId: string;
  accountId?: string | null;
  planId?: string;
  customer?: string;
  priceId: string;
  periodStart: string;
  periodEnd: string;
  status?: Stripe.Subscription.Status;
  cancelAtPeriodEnd?: boolean;
  endedAt?: string | null;
}

export function subscription(options: SubscriptionOptions): SubscriptionJson {
  return {
    id: options.subscriptionId,
    object: 'subscription',
    customer: options.customer ?? 'cus_test_customer',
    status: options.status ?? 'active',
    cancel_at_period_end: options.cancelAtPeriodEnd ?? false,
    ended_at: options.endedAt ? seconds(options.endedAt) : null,
    metadata:
      options.accountId === null
        ? {}
        : {
            accountId: options.accountId ?? 'unknown',
            ...(options.planId && { planId: options.planId }),
          },
    livemode: false,
    created: seconds(options.periodStart),
    items: {
      object: 'list',
      data: [
        {
          id: 'si_test_1',
          object: 'subscription_item',
          current_period_start: seconds(options.periodStart),
          current_period_end: seconds(options.periodEnd),
          quantity: 1,
          price: {
            id: options.priceId,
            object: 'price',
            type: 'recurring',
            unit_amount: 2900,
            currency: 'usd',
          },
        },
      ],
      has_more: false,
      url: '/v1/subscription_items',
    },
  };
}

export function paymentIntent(options: {
  id?: string;
  amount: number;
  metadata: Record<string, string>;
  status?: Stripe.PaymentIntent.Status;
  paymentMethod?: string | null;
  setupFutureUsage?: Stripe.PaymentIntent.SetupFutureUsage | null;
  customer?: string;
  error?: { code: string; message: string };
}): PaymentIntentJson {
  return {
    id: options.id ?? stripeId('pi'),
    object: 'payment_intent',
    amount: options.amount,
    amount_received: options.status === 'requires_payment_method' ? 0 : options.amount,
    currency: 'usd',
    customer: options.customer ?? 'cus_test_customer',
    metadata: options.metadata,
    payment_method: options.paymentMethod === undefined ? 'pm_test_card' : options.paymentMethod,
    setup_future_usage: options.setupFutureUsage ?? null,
    status: options.status ?? 'succeeded',
    livemode: false,
    last_payment_error: options.error
      ? { code: options.error.code, message: options.error.message, type: 'card_error' }
      : null,
  };
}

/** An Event of `type` around one of the objects above, at `createdIso` (Stripe's `created`). */
export function billingEvent(
  type: string,
  object: InvoiceJson | SubscriptionJson | PaymentIntentJson | Record<string, unknown>,
  createdIso: string,
  id?: string,
): StripeEventJson {
  return event(type, object, {
    created: seconds(createdIso),
    ...(id && { id }),
  });
}
