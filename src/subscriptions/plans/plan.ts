import type { Money, SubscriptionPlanTerms } from '../../ledger/events';

/** A subscription plan (PRODUCT.md §4), admin-editable; the catalog is the stream `subscription-plans`. */
export interface Plan {
  planId: string;
  name: string;
  creditsPerPeriod: number;
  /** What the plan costs per period (what Stripe bills; the ledger grants credits, never money). */
  price: Money;
  /** The recurring Stripe Price Checkout subscribes to; null: inline recurring price data. */
  stripePriceId: string | null;
  rollover: { maxCredits: number; expiresAfterPeriods: number };
}

export type PlanField = 'name' | 'creditsPerPeriod' | 'price' | 'stripePriceId' | 'rollover';

export const PLAN_FIELDS: readonly PlanField[] = [
  'name',
  'creditsPerPeriod',
  'price',
  'stripePriceId',
  'rollover',
];

/** The terms the ledger records with each period (what a period of this plan grants and rolls over). */
export function termsOf(plan: Plan): SubscriptionPlanTerms {
  return {
    planId: plan.planId,
    creditsPerPeriod: plan.creditsPerPeriod,
    rollover: { ...plan.rollover },
  };
}

/** The fields whose value differs (a change's `changed[]`). */
export function changedFields(before: Plan | undefined, after: Plan): PlanField[] {
  if (!before) return [...PLAN_FIELDS];
  return PLAN_FIELDS.filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}
