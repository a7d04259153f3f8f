import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { CheckoutService } from './checkout.service';
import {
  AccountCheckoutSessionsController,
  CheckoutSessionsController,
} from './checkout-sessions.controller';
import { CheckoutSessionsRepository } from './checkout-sessions.repository';
import { ChangeCreditPackHandler } from './commands/change-credit-pack.handler';
import { CreateCheckoutSessionHandler } from './commands/create-checkout-session.handler';
import { ReceiveStripeEventHandler } from './commands/receive-stripe-event.handler';
import { CreditPackCatalog } from './credit-pack-catalog';
import { CreditPacksController } from './credit-packs.controller';
import { PAYMENT_PROBLEMS } from './payment-problems';
import { GetCreditPackHistoryHandler } from './queries/get-credit-pack-history.handler';
import { ListCheckoutSessionsHandler } from './queries/list-checkout-sessions.handler';
import { ListCreditPacksHandler } from './queries/list-credit-packs.handler';
import { PaymentsEnabledGuard, WebhooksEnabledGuard } from './stripe-enabled.guards';
import { StripeCustomersRepository } from './stripe-customers.repository';
import { StripeEventLog } from './stripe-event-log';
import { StripeEventProcessor } from './stripe-event-processor';
import { StripeGateway } from './stripe-gateway';
import { StripePaymentsRepository } from './stripe-payments.repository';
import { StripePriceCheck } from './stripe-price-check';
import { StripeWebhookController } from './stripe-webhook.controller';
import { StripeWebhookService } from './stripe-webhook.service';
import { StripeEventRoutes } from './stripe-event-routes';
import { CheckoutExtensions } from './checkout-extensions';

/**
 * Payments with Stripe (docs/stripe.md): the credit-pack catalog (an event-sourced stream that
 * admins edit), Checkout Sessions, and the signed webhook that turns payments, refunds and disputes
 * into ledger commands (sent on the command bus, so into the accounts' mailboxes like any other
 * write).
 */
@Module({
  controllers: [
    CreditPacksController,
    CheckoutSessionsController,
    AccountCheckoutSessionsController,
    StripeWebhookController,
  ],
  providers: [
    // Commands and queries.
    CreateCheckoutSessionHandler,
    ReceiveStripeEventHandler,
    ChangeCreditPackHandler,
    ListCreditPacksHandler,
    GetCreditPackHistoryHandler,
    ListCheckoutSessionsHandler,
    // What they use.
    StripeGateway,
    StripePriceCheck,
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
    StripeEventRoutes,
    CheckoutExtensions,
  ],
  // For the subscriptions feature: it registers its Stripe events and plan checkouts, charges
  // off-session, and credits auto top-ups through the same purchase path.
  exports: [
    StripeEventRoutes,
    CheckoutExtensions,
    StripeGateway,
    StripeEventProcessor,
    StripeCustomersRepository,
    CreditPackCatalog,
  ],
})
export class PaymentsModule {
  constructor(problems: ProblemCatalog) {
    problems.register(PAYMENT_PROBLEMS);
  }
}
