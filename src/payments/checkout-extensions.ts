import { Injectable } from '@nestjs/common';
import type { CheckoutSessionRequest } from './dto';
import type { CheckoutSessionParams } from './stripe-gateway';

/** What another feature's checkout sells: the session's own params and what support sees of it. */
export interface ExtensionCheckout {
  /** mode, line_items, metadata, subscription_data… (customer, client_reference_id and the UI are added here). */
  params: Partial<CheckoutSessionParams>;
  amount: { minor: number; currency: string };
  /** For the log line. */
  describe: Record<string, unknown>;
}

export type PlanCheckout = (request: CheckoutSessionRequest) => Promise<ExtensionCheckout>;

/**
 * Checkouts of things other features sell through POST /v1/checkout-sessions (a subscription plan:
 * `planId`), registered from their module's constructor. The customer, the UI mode, the
 * Idempotency-Key and the answer stay here, shared with packs.
 */
@Injectable()
export class CheckoutExtensions {
  private plan: PlanCheckout | null = null;

  registerPlanCheckout(checkout: PlanCheckout): void {
    if (this.plan) throw new Error('plan checkout registered twice');
    this.plan = checkout;
  }

  get planCheckout(): PlanCheckout | null {
    return this.plan;
  }
}
