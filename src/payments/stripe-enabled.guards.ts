import { CanActivate, Injectable } from '@nestjs/common';
import { StripeNotConfiguredError } from './errors';
import { StripeGateway } from './stripe-gateway';

/**
 * Route guards that answer 503 `unavailable` when Stripe is not configured. They run after the
 * global API-key guard (so a caller without a key still gets 401) and before body validation.
 */
@Injectable()
export class PaymentsEnabledGuard implements CanActivate {
  constructor(private readonly gateway: StripeGateway) {}

  canActivate(): boolean {
    if (!this.gateway.paymentsEnabled)
      throw new StripeNotConfiguredError('STRIPE_SECRET_KEY', 'Checkout');
    return true;
  }
}

@Injectable()
export class WebhooksEnabledGuard implements CanActivate {
  constructor(private readonly gateway: StripeGateway) {}

  canActivate(): boolean {
    if (!this.gateway.webhooksEnabled)
      throw new StripeNotConfiguredError('STRIPE_WEBHOOK_SECRET', 'The Stripe webhook');
    return true;
  }
}
