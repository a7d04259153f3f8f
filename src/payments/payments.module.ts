import type { Provider, Type } from '@nestjs/common';
import { CheckoutService } from './checkout.service';
import {
  AccountCheckoutSessionsController,
  CheckoutSessionsController,
} from './checkout-sessions.controller';
import { CheckoutSessionsRepository } from './checkout-sessions.repository';
import { CreditPackCatalog } from './credit-pack-catalog';
import { CreditPacksController } from './credit-packs.controller';
import { PaymentsEnabledGuard, WebhooksEnabledGuard } from './stripe-enabled.guards';
import { StripeCustomersRepository } from './stripe-customers.repository';
import { StripeEventLog } from './stripe-event-log';
import { StripeEventProcessor } from './stripe-event-processor';
import { StripeGateway } from './stripe-gateway';
import { StripePaymentsRepository } from './stripe-payments.repository';
import { StripeWebhookController } from './stripe-webhook.controller';
import { StripeWebhookService } from './stripe-webhook.service';

/**
 * Payments with Stripe (docs/stripe.md): catalog, checkout, webhook. These are registered in
 * AppModule itself rather than in a module of their own because they use what AppModule provides
 * per application instance (AppConfig, Clock, DATABASE, the CommandBus of ExecuteLedgerCommand).
 */
export const STRIPE_CONTROLLERS: Type<unknown>[] = [
  CreditPacksController,
  CheckoutSessionsController,
  AccountCheckoutSessionsController,
  StripeWebhookController,
];

export const STRIPE_PROVIDERS: Provider[] = [
  StripeGateway,
  CreditPackCatalog,
  CheckoutService,
  StripeCustomersRepository,
  StripeEventLog,
  StripePaymentsRepository,
  CheckoutSessionsRepository,
  StripeEventProcessor,
  StripeWebhookService,
  PaymentsEnabledGuard,
  WebhooksEnabledGuard,
];
