import { Injectable } from '@nestjs/common';
import { isHandled } from './event-shapes';
import type { Settlement } from './stripe-event-log';
import type { StripeEvent } from './stripe-gateway';

/** The route of the Checkout Session events of `subscription` mode (any checkout.session.* type). */
export const SUBSCRIPTION_CHECKOUT_ROUTE = 'checkout.session:subscription';

export type StripeEventRoute = (event: StripeEvent) => Promise<Settlement>;

/**
 * Stripe event types handled by other features (subscriptions: invoices, subscription changes,
 * off-session PaymentIntents), registered from their module's constructor. They run inside the same
 * webhook delivery — verified, recorded and deduplicated by event id here — so a feature only
 * decides what the event does. The types this module handles itself cannot be taken over.
 */
@Injectable()
export class StripeEventRoutes {
  private readonly routes = new Map<string, StripeEventRoute>();

  register(key: string, route: StripeEventRoute): void {
    if (isHandled(key)) throw new Error(`Stripe event ${key} is handled by payments itself`);
    if (this.routes.has(key)) throw new Error(`Stripe event route ${key} registered twice`);
    this.routes.set(key, route);
  }

  find(key: string): StripeEventRoute | undefined {
    return this.routes.get(key);
  }

  /** The event types routed elsewhere (for docs and logs). */
  keys(): string[] {
    return [...this.routes.keys()];
  }
}
