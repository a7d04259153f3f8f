/**
 * Every event type an endpoint can subscribe to (PRODUCT.md §5). Adding one is one line here
 * (plus whatever publishes it: a line in `ledger-facts.ts` for a ledger event, or a call to
 * `OutboxWriter.publish` from another reactor's transaction; docs/notifications.md "Adding an
 * event type"). The types other features will publish are listed already, so endpoints can
 * subscribe to them before the first one is sent.
 */
export const WEBHOOK_EVENT_TYPES = [
  'credits.purchased',
  'credits.granted',
  'credits.refunded',
  'credits.expired',
  'purchase.reversed',
  'balance.low',
  'balance.depleted',
  'credits.expiring',
  'transfer.completed',
  'subscription.renewed',
  'subscription.canceled',
  'auto_top_up.succeeded',
  'auto_top_up.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}
