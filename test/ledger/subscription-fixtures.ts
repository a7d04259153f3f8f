import type {
  ChangeSubscriptionPlanCommand,
  LedgerEvent,
  PaySubscriptionPeriodCommand,
  SubscriptionPlanTerms,
} from '../../src/ledger';
import { CURRENT_SCHEMA_VERSION } from '../../src/ledger';
import { TEST_ACTOR } from './fixtures';

/** Builders for the subscription specs: monthly periods from 2026-01-01. */

export const JAN = '2026-01-01T00:00:00.000Z';
export const FEB = '2026-02-01T00:00:00.000Z';
export const MAR = '2026-03-01T00:00:00.000Z';
export const APR = '2026-04-01T00:00:00.000Z';
export const MAY = '2026-05-01T00:00:00.000Z';

export function plan(
  planId: string,
  creditsPerPeriod: number,
  rollover: { maxCredits: number; expiresAfterPeriods: number } = {
    maxCredits: 0,
    expiresAfterPeriods: 0,
  },
): SubscriptionPlanTerms {
  return { planId, creditsPerPeriod, rollover };
}

export const STARTER = plan('starter', 100, { maxCredits: 50, expiresAfterPeriods: 2 });
export const PRO = plan('pro', 300, { maxCredits: 100, expiresAfterPeriods: 1 });

/** The invoice of the period starting `periodStart` (ids derived from it, as the webhook does). */
export function pay(
  periodStart: string,
  periodEnd: string,
  terms: SubscriptionPlanTerms = STARTER,
  overrides: Partial<PaySubscriptionPeriodCommand> = {},
): PaySubscriptionPeriodCommand {
  const tag = periodStart.slice(0, 7);
  return {
    kind: 'paySubscriptionPeriod',
    subscriptionId: 'sub_1',
    invoiceId: `in_${tag}`,
    plan: terms,
    periodStart,
    periodEnd,
    blockId: `sub-${tag}`,
    rolloverBlockId: `roll-${tag}`,
    ...overrides,
  };
}

export function change(
  periodStart: string,
  periodEnd: string,
  terms: SubscriptionPlanTerms,
  blockId = `up-${terms.planId}-${periodStart.slice(0, 7)}`,
): ChangeSubscriptionPlanCommand {
  return {
    kind: 'changeSubscriptionPlan',
    subscriptionId: 'sub_1',
    plan: terms,
    periodStart,
    periodEnd,
    blockId,
  };
}

/** Events as a decision wrote them, with metadata at `at`: to use as the history of a spec. */
export function at<E extends LedgerEvent>(events: E[], occurredAt: string): E[] {
  return events.map((event) => ({
    ...event,
    metadata: {
      occurredAt,
      correlationId: 'corr-given',
      actor: TEST_ACTOR,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  }));
}
