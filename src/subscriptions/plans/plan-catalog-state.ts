import type { Actor } from '../../ledger/events';
import { changedFields, type Plan, type PlanField } from './plan';
import { MAX_PLANS } from './plan-rules';

/**
 * The plan catalog's stream: every change to every plan, by whom, when and what (the audit trail),
 * folded into the catalog. Not `credits-…`: projections and account tools never read it.
 */
export const PLANS_STREAM = 'subscription-plans';
export const PLANS_SCHEMA_VERSION = 1;

export interface PlanSavedData {
  plan: Plan;
  created: boolean;
  changed: PlanField[];
}

export interface PlanEventMetadata {
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  schemaVersion: number;
}

export interface PlanSaved {
  type: 'PlanSaved';
  data: PlanSavedData;
  metadata: PlanEventMetadata;
}

export interface PlanCatalogState {
  /** The stream's revision folded (-1: no plan ever). */
  revision: number;
  /** Every plan, in the order created. */
  plans: ReadonlyMap<string, Plan>;
}

export const EMPTY_PLAN_CATALOG: PlanCatalogState = { revision: -1, plans: new Map() };

export function foldPlans(state: PlanCatalogState, events: readonly PlanSaved[]): PlanCatalogState {
  if (events.length === 0) return state;
  const plans = new Map(state.plans);
  for (const event of events) plans.set(event.data.plan.planId, event.data.plan);
  return { revision: state.revision + events.length, plans };
}

export type PlanCommand = { kind: 'create'; plan: Plan } | { kind: 'put'; plan: Plan };

export type PlanDecision =
  | { kind: 'saved'; created: boolean; event: Omit<PlanSaved, 'metadata'> | null; plan: Plan }
  | { kind: 'exists'; planId: string }
  | { kind: 'full'; limit: number };

/**
 * POST creates (an id the catalog has is `exists`); PUT creates or replaces; a PUT of the plan as it
 * is writes nothing. Plans are never deleted: a period paid under one keeps naming it.
 */
export function decidePlan(state: PlanCatalogState, command: PlanCommand): PlanDecision {
  const known = state.plans.get(command.plan.planId);
  if (known && command.kind === 'create') return { kind: 'exists', planId: known.planId };
  if (!known && state.plans.size >= MAX_PLANS) return { kind: 'full', limit: MAX_PLANS };
  const changed = changedFields(known, command.plan);
  if (known && changed.length === 0)
    return { kind: 'saved', created: false, event: null, plan: known };
  return {
    kind: 'saved',
    created: !known,
    plan: command.plan,
    event: { type: 'PlanSaved', data: { plan: command.plan, created: !known, changed } },
  };
}

/** The plan a Stripe Price stands for (each Price belongs to at most one plan). */
export function planByStripePrice(state: PlanCatalogState, priceId: string): Plan | null {
  for (const plan of state.plans.values()) if (plan.stripePriceId === priceId) return plan;
  return null;
}
