import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { CheckoutExtensions } from '../payments/checkout-extensions';
import { PaymentsModule } from '../payments/payments.module';
import { StripeEventRoutes, SUBSCRIPTION_CHECKOUT_ROUTE } from '../payments/stripe-event-routes';
import { SavePlanHandler } from './commands/save-plan.handler';
import { PlansController } from './http/plans.controller';
import { SubscriptionController } from './http/subscription.controller';
import { PlanCatalog } from './plans/plan-catalog';
import { PlanCheckout } from './plans/plan-checkout';
import { GetAutoTopUpHandler } from './queries/get-auto-top-up.handler';
import { GetSubscriptionHandler } from './queries/get-subscription.handler';
import { ListPlansHandler } from './queries/list-plans.handler';
import { SubscriptionEvents } from './stripe-events/subscription-events';
import { SUBSCRIPTION_PROBLEMS } from './subscription-problems';
import { SubscriptionsRepository } from './subscriptions.repository';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { ReactorRegistry } from '../../projections/nest/reactor-registry';
import { AutoTopUpController } from './http/auto-top-up.controller';
import { SetAutoTopUpHandler } from './commands/set-auto-top-up.handler';
import { AutoTopUpRepository } from './auto-top-up/auto-top-up.repository';
import { AutoTopUpWorker } from './auto-top-up/auto-top-up.worker';
import { AutoTopUpEvents } from './auto-top-up/auto-top-up-events';
import { autoTopUpReactor } from './auto-top-up/auto-top-up.reactor';

/**
 * Subscriptions with Stripe Billing and auto top-up (PRODUCT.md §4, docs/subscriptions.md): the
 * plan catalog (stream `subscription-plans`), plan checkouts and the Stripe events of subscriptions
 * (through the payments webhook: verified and deduplicated there), the subscription's state, and
 * the credits, rollover and plan changes, which the ledger decides from the account's stream.
 */
@Module({
  imports: [PaymentsModule, ProjectionsModule],
  controllers: [PlansController, SubscriptionController, AutoTopUpController],
  providers: [
    SavePlanHandler,
    ListPlansHandler,
    GetSubscriptionHandler,
    PlanCatalog,
    PlanCheckout,
    SubscriptionEvents,
    SubscriptionsRepository,
    SetAutoTopUpHandler,
    GetAutoTopUpHandler,
    AutoTopUpRepository,
    AutoTopUpWorker,
    AutoTopUpEvents,
  ],
})
export class SubscriptionsModule {
  constructor(
    problems: ProblemCatalog,
    routes: StripeEventRoutes,
    checkouts: CheckoutExtensions,
    planCheckout: PlanCheckout,
    events: SubscriptionEvents,
    reactors: ReactorRegistry,
    autoTopUps: AutoTopUpRepository,
    autoTopUpEvents: AutoTopUpEvents,
  ) {
    problems.register(SUBSCRIPTION_PROBLEMS);
    checkouts.registerPlanCheckout((request) => planCheckout.sell(request));
    routes.register(SUBSCRIPTION_CHECKOUT_ROUTE, (event) => events.checkoutSession(event));
    routes.register('invoice.paid', (event) => events.invoicePaid(event));
    routes.register('customer.subscription.updated', (event) => events.subscriptionUpdated(event));
    routes.register('customer.subscription.deleted', (event) => events.subscriptionDeleted(event));
    routes.register('payment_intent.succeeded', (event) => autoTopUpEvents.succeeded(event));
    routes.register('payment_intent.payment_failed', (event) => autoTopUpEvents.failed(event));
    reactors.register(autoTopUpReactor(autoTopUps));
  }
}
