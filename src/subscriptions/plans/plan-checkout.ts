import { Injectable } from '@nestjs/common';
import type { ExtensionCheckout } from '../../payments/checkout-extensions';
import type { CheckoutSessionRequest } from '../../payments/dto';
import { SubscriptionRequestInvalidError } from '../errors';
import { PlanCatalog } from './plan-catalog';

/**
 * A plan's Checkout in `subscription` mode (PRODUCT.md §4): its Stripe Price, or a monthly inline
 * price; the account in `client_reference_id` (added by payments), the session's metadata and
 * `subscription_data.metadata` — which Stripe copies to every invoice
 * (`parent.subscription_details.metadata`), so each invoice names its account.
 */
@Injectable()
export class PlanCheckout {
  constructor(private readonly plans: PlanCatalog) {}

  async sell(request: CheckoutSessionRequest): Promise<ExtensionCheckout> {
    const catalog = await this.plans.current();
    const plan = request.planId === undefined ? undefined : catalog.plans.get(request.planId);
    if (!plan) {
      const known = [...catalog.plans.keys()].join(', ') || 'none';
      throw new SubscriptionRequestInvalidError([
        { field: 'planId', message: `is not a plan (plans: ${known})` },
      ]);
    }
    const metadata = { accountId: request.accountId, planId: plan.planId };
    return {
      params: {
        mode: 'subscription',
        line_items: [
          plan.stripePriceId !== null
            ? { price: plan.stripePriceId, quantity: 1 }
            : {
                quantity: 1,
                price_data: {
                  currency: plan.price.currency.toLowerCase(),
                  unit_amount: plan.price.minor,
                  recurring: { interval: 'month' },
                  product_data: {
                    name: `${plan.name}: ${plan.creditsPerPeriod} credits a month`,
                    metadata: { planId: plan.planId },
                  },
                },
              },
        ],
        metadata,
        subscription_data: { metadata },
      },
      amount: plan.price,
      describe: { planId: plan.planId, creditsPerPeriod: plan.creditsPerPeriod },
    };
  }
}
