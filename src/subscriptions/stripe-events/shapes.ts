import type Stripe from 'stripe';

/**
 * Reading the objects of the subscription events, in the shapes of the `stripe` package's pinned
 * API version (2026-10-28): an invoice's subscription is under `parent.subscription_details`, its
 * period and Price under each line (`period`, `pricing.price_details.price`), a subscription's
 * period under its items (`current_period_start/end`). Signed by Stripe, still read defensively: a
 * field of the wrong type makes the event an anomaly, never a crash.
 */

export type Invoice = Stripe.Invoice;
export type Subscription = Stripe.Subscription;
export type PaymentIntent = Stripe.PaymentIntent;

export interface PaidPeriod {
  subscriptionId: string;
  /** The Price billed for the period (a plan's stripePriceId), when the line names one. */
  priceId: string | null;
  periodStartMs: number;
  periodEndMs: number;
}

const idOf = (value: unknown): string | null => {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id;
  return null;
};

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

const stringMetadata = (metadata: unknown, key: string): string | null => {
  if (!metadata || typeof metadata !== 'object') return null;
  const value = (metadata as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
};

/** What the invoice says about its subscription: id, our metadata, the customer. */
export function invoiceSubscription(invoice: Invoice): {
  subscriptionId: string | null;
  accountId: string | null;
  planId: string | null;
  customerId: string | null;
} {
  const details = invoice.parent?.subscription_details ?? null;
  return {
    subscriptionId: idOf(details?.subscription),
    accountId: stringMetadata(details?.metadata, 'accountId'),
    planId: stringMetadata(details?.metadata, 'planId'),
    customerId: idOf(invoice.customer),
  };
}

/**
 * The period the invoice pays: its subscription line that is not a proration (a renewal or the
 * first invoice has one; an invoice of prorations only — an upgrade's — pays no new period).
 */
export function paidPeriod(invoice: Invoice, subscriptionId: string): PaidPeriod | null {
  const lines = Array.isArray(invoice.lines?.data) ? invoice.lines.data : [];
  for (const line of lines) {
    const item = line?.parent?.subscription_item_details;
    if (!item || item.proration) continue;
    const start = line.period?.start;
    const end = line.period?.end;
    if (!isSeconds(start) || !isSeconds(end) || end <= start) continue;
    return {
      subscriptionId,
      priceId: idOf(line.pricing?.price_details?.price),
      periodStartMs: start * 1000,
      periodEndMs: end * 1000,
    };
  }
  return null;
}

export interface SubscriptionFacts {
  subscriptionId: string;
  accountId: string | null;
  planId: string | null;
  customerId: string | null;
  status: string;
  cancelAtPeriodEnd: boolean;
  priceId: string | null;
  periodStartMs: number | null;
  periodEndMs: number | null;
  endedAtMs: number | null;
}

export function subscriptionFacts(subscription: Subscription): SubscriptionFacts | null {
  if (typeof subscription.id !== 'string' || typeof subscription.status !== 'string') return null;
  const items = Array.isArray(subscription.items?.data) ? subscription.items.data : [];
  const item = items[0];
  const start = item?.current_period_start;
  const end = item?.current_period_end;
  return {
    subscriptionId: subscription.id,
    accountId: stringMetadata(subscription.metadata, 'accountId'),
    planId: stringMetadata(subscription.metadata, 'planId'),
    customerId: idOf(subscription.customer),
    status: subscription.status,
    cancelAtPeriodEnd: subscription.cancel_at_period_end === true,
    priceId: idOf(item?.price),
    periodStartMs: isSeconds(start) ? start * 1000 : null,
    periodEndMs: isSeconds(end) ? end * 1000 : null,
    endedAtMs: isSeconds(subscription.ended_at) ? subscription.ended_at * 1000 : null,
  };
}

export { idOf, stringMetadata };
