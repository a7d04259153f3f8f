import type Stripe from 'stripe';

/**
 * Reading the documented shapes of the events we handle. The payload is signed by Stripe, but it is
 * still read defensively: a field of the wrong type is an anomaly to record, never a crash.
 */

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.closed',
  'charge.dispute.funds_reinstated',
  'charge.refund.updated',
  'checkout.session.expired',
] as const;

export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandled(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

/** An expandable reference: the id string, or the expanded object with its id. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id;
  return null;
}

export function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The metadata this service puts on its Checkout Sessions (and their PaymentIntents). */
export interface PurchaseMetadata {
  accountId?: string;
  packId?: string;
  /** What the session grants (credits + bonus), as recorded at checkout. */
  credits?: string;
  /**
   * The catalog revision the pack was sold at; absent on sessions created before the catalog was
   * editable (their pack is taken from the catalog as it is).
   */
  catalogRevision?: string;
}

export function metadataOf(object: { metadata?: unknown }): PurchaseMetadata {
  const metadata = object.metadata;
  if (!metadata || typeof metadata !== 'object') return {};
  const read = (key: string): string | undefined => {
    const value = (metadata as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    accountId: read('accountId'),
    packId: read('packId'),
    credits: read('credits'),
    catalogRevision: read('catalogRevision'),
  };
}

export type CheckoutSession = Stripe.Checkout.Session;
export type Charge = Stripe.Charge;
export type Dispute = Stripe.Dispute;
export type Refund = Stripe.Refund;

/** `data.object` of an event, when it is the kind of object the type promises. */
export function objectOf<T>(event: Stripe.Event, objectType: string): T | null {
  const object = (event.data as { object?: unknown } | undefined)?.object;
  if (
    !object ||
    typeof object !== 'object' ||
    (object as { object?: unknown }).object !== objectType
  )
    return null;
  return object as T;
}
