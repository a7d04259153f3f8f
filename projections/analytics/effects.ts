import type { LedgerEvent } from '../../src/ledger/events';

/**
 * Pure functions from ledger events to the analytics read models' changes (docs/reports.md
 * "Definitions"). The projection (analytics.projection.ts) folds a batch with them and adds the
 * result to the stored rows; `ledger verify` folds every stream with them and compares.
 *
 * - Usage is what spends consumed: a CreditsSpent (a capture too) adds its credits and one spend;
 *   a CreditsRefunded adds refunded credits and one refund, on the day of the refund, to the
 *   operation and member of the spend it gives back. Net usage = spent − refunded. Holds and
 *   releases are not usage (only the capture is); nor is an admin's adjustment (CreditsAdjusted).
 * - An account is active on a day when it has at least one spend that day.
 * - Purchases: a CreditsPurchased adds one purchase, its credits and its revenue (minor units, in
 *   its currency) under its pack; a PurchaseReversed adds one reversal and the credits it was to
 *   take back under the pack and currency of the purchase; a ReversalUndone takes that back again.
 *   Revenue stays gross: a reversal does not say how much money went back.
 * Days are UTC dates (`YYYY-MM-DD`) of the event's occurredAt.
 */

/** '' stands for "none" (an unpriced spend, no member, no pack), as in the tables' keys. */
export const NONE = '';

export interface UsageAmounts {
  spentCredits: number;
  spends: number;
  refundedCredits: number;
  refunds: number;
}

export interface PurchaseAmounts {
  purchases: number;
  credits: number;
  revenueMinor: number;
  reversals: number;
  reversedCredits: number;
}

/** What a refund needs from its spend (remembered only when not NONE/NONE). */
export interface SpendRef {
  operationId: string;
  member: string;
}

/** What a reversal needs from its purchase. */
export interface PurchaseRef {
  packId: string;
  currency: string;
}

/** Where a refund's spend or a reversal's purchase is found (the batch so far, then the database). */
export interface AnalyticsRefs {
  spend(accountId: string, spendId: string): SpendRef | undefined;
  purchase(accountId: string, purchaseId: string): PurchaseRef | undefined;
}

export type AnalyticsFact =
  | {
      kind: 'usage';
      day: string;
      accountId: string;
      operationId: string;
      member: string;
      amounts: UsageAmounts;
    }
  | { kind: 'purchase'; day: string; packId: string; currency: string; amounts: PurchaseAmounts }
  | { kind: 'spendRef'; accountId: string; spendId: string; ref: SpendRef }
  | { kind: 'purchaseRef'; accountId: string; purchaseId: string; ref: PurchaseRef };

export const ZERO_USAGE: Readonly<UsageAmounts> = Object.freeze({
  spentCredits: 0,
  spends: 0,
  refundedCredits: 0,
  refunds: 0,
});

export const ZERO_PURCHASES: Readonly<PurchaseAmounts> = Object.freeze({
  purchases: 0,
  credits: 0,
  revenueMinor: 0,
  reversals: 0,
  reversedCredits: 0,
});

/** `toISOString()`'s own shape (UTC, milliseconds): its first ten characters are the UTC date. */
const CANONICAL_UTC_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The UTC date of an instant. Instants the service wrote are already in toISOString()'s shape:
 * their date is read off the string (a rebuild asks this once per spend; parsing and formatting a
 * Date each time was ≈ 3 % of its Node CPU). Any other form goes through Date.
 */
export function dayOf(instant: string): string {
  if (CANONICAL_UTC_INSTANT.test(instant)) return instant.slice(0, 10);
  return new Date(instant).toISOString().slice(0, 10);
}

/** The first day of the month of a day. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export type Granularity = 'month' | 'quarter' | 'year';

/** The month, quarter and year a day belongs to, each as its first day. */
export function rollupsOf(day: string): Array<[Granularity, string]> {
  const month = Number(day.slice(5, 7));
  const quarterMonth = String(month - ((month - 1) % 3)).padStart(2, '0');
  return [
    ['month', monthOf(day)],
    ['quarter', `${day.slice(0, 4)}-${quarterMonth}-01`],
    ['year', `${day.slice(0, 4)}-01-01`],
  ];
}

/** The pool member a spend names (PRODUCT.md §3), or NONE. */
export function memberOf(event: LedgerEvent): string {
  if (event.type !== 'CreditsSpent') return NONE;
  const { member } = event.data;
  return member !== undefined && member.length > 0 ? member : NONE;
}

/** What one event adds to the analytics (none for grants, expiries, holds and releases). */
export function analyticsFacts(
  accountId: string,
  event: LedgerEvent,
  refs: AnalyticsRefs,
): AnalyticsFact[] {
  const day = dayOf(event.metadata.occurredAt);
  switch (event.type) {
    case 'CreditsSpent': {
      const ref: SpendRef = {
        operationId: event.data.operation?.operationId ?? NONE,
        member: memberOf(event),
      };
      const facts: AnalyticsFact[] = [
        {
          kind: 'usage',
          day,
          accountId,
          ...ref,
          amounts: { ...ZERO_USAGE, spentCredits: event.data.credits, spends: 1 },
        },
      ];
      if (ref.operationId !== NONE || ref.member !== NONE)
        facts.push({ kind: 'spendRef', accountId, spendId: event.data.spendId, ref });
      return facts;
    }
    case 'CreditsRefunded': {
      const ref = refs.spend(accountId, event.data.spendId) ?? { operationId: NONE, member: NONE };
      return [
        {
          kind: 'usage',
          day,
          accountId,
          ...ref,
          amounts: { ...ZERO_USAGE, refundedCredits: event.data.credits, refunds: 1 },
        },
      ];
    }
    case 'CreditsPurchased': {
      const ref: PurchaseRef = {
        packId: event.data.packId ?? NONE,
        currency: event.data.amountPaid.currency,
      };
      return [
        {
          kind: 'purchase',
          day,
          ...ref,
          amounts: {
            ...ZERO_PURCHASES,
            purchases: 1,
            credits: event.data.credits,
            revenueMinor: event.data.amountPaid.minor,
          },
        },
        { kind: 'purchaseRef', accountId, purchaseId: event.data.purchaseId, ref },
      ];
    }
    case 'PurchaseReversed':
    case 'ReversalUndone': {
      const ref = refs.purchase(accountId, event.data.purchaseId);
      // A reversal that arrived before its purchase was recorded reverses nothing known here.
      if (!ref) return [];
      const sign = event.type === 'PurchaseReversed' ? 1 : -1;
      const credits =
        event.type === 'PurchaseReversed'
          ? event.data.credits
          : event.data.credits + event.data.shortfallCancelled;
      return [
        {
          kind: 'purchase',
          day,
          ...ref,
          amounts: { ...ZERO_PURCHASES, reversals: sign, reversedCredits: sign * credits },
        },
      ];
    }
    case 'CreditsAdjusted':
      // An admin's adjustment down is a correction, not consumption: never usage, never an active
      // day (docs/reports.md "Definitions").
      return [];
    default:
      // Grants, expiries, holds, releases and the programs' events (members, gift codes) are
      // neither usage nor purchases.
      return [];
  }
}

/** The rows a batch (or a whole ledger) adds, keyed as the tables are. */
export interface AnalyticsDelta {
  /** `day|operationId` */
  usageByOperation: Map<string, UsageAmounts>;
  /** `day|accountId` */
  usageByAccount: Map<string, UsageAmounts>;
  /** `start|accountId|granularity`: per month, quarter and year */
  usageByAccountRollup: Map<string, UsageAmounts>;
  /** `day|accountId|member`, members only */
  usageByMember: Map<string, UsageAmounts>;
  /** `day|packId|currency` */
  purchases: Map<string, PurchaseAmounts>;
  spendRefs: Map<string, SpendRef>;
  purchaseRefs: Map<string, PurchaseRef>;
}

export function emptyDelta(): AnalyticsDelta {
  return {
    usageByOperation: new Map(),
    usageByAccount: new Map(),
    usageByAccountRollup: new Map(),
    usageByMember: new Map(),
    purchases: new Map(),
    spendRefs: new Map(),
    purchaseRefs: new Map(),
  };
}

/** Keys join parts with `|`, which an account id (LEDGER.md), a date or a currency never holds. */
export const key = (...parts: string[]): string => parts.join('|');

function addUsage(map: Map<string, UsageAmounts>, at: string, amounts: UsageAmounts): void {
  const before = map.get(at) ?? ZERO_USAGE;
  map.set(at, {
    spentCredits: before.spentCredits + amounts.spentCredits,
    spends: before.spends + amounts.spends,
    refundedCredits: before.refundedCredits + amounts.refundedCredits,
    refunds: before.refunds + amounts.refunds,
  });
}

function addPurchases(map: Map<string, PurchaseAmounts>, at: string, amounts: PurchaseAmounts) {
  const before = map.get(at) ?? ZERO_PURCHASES;
  map.set(at, {
    purchases: before.purchases + amounts.purchases,
    credits: before.credits + amounts.credits,
    revenueMinor: before.revenueMinor + amounts.revenueMinor,
    reversals: before.reversals + amounts.reversals,
    reversedCredits: before.reversedCredits + amounts.reversedCredits,
  });
}

/** Adds one fact to the delta (in place: the fold of a batch). */
export function addFact(delta: AnalyticsDelta, fact: AnalyticsFact): void {
  switch (fact.kind) {
    case 'usage':
      addUsage(delta.usageByOperation, key(fact.day, fact.operationId), fact.amounts);
      addUsage(delta.usageByAccount, key(fact.day, fact.accountId), fact.amounts);
      for (const [granularity, start] of rollupsOf(fact.day))
        addUsage(delta.usageByAccountRollup, key(start, fact.accountId, granularity), fact.amounts);
      if (fact.member !== NONE)
        addUsage(delta.usageByMember, key(fact.day, fact.accountId, fact.member), fact.amounts);
      return;
    case 'purchase':
      addPurchases(delta.purchases, key(fact.day, fact.packId, fact.currency), fact.amounts);
      return;
    case 'spendRef':
      delta.spendRefs.set(key(fact.accountId, fact.spendId), fact.ref);
      return;
    case 'purchaseRef':
      delta.purchaseRefs.set(key(fact.accountId, fact.purchaseId), fact.ref);
      return;
  }
}

/**
 * Folds events (in log order) into a delta. `stored` answers for spends and purchases of earlier
 * batches; those of this batch are found in the delta itself.
 */
export function foldAnalytics(
  events: ReadonlyArray<{ accountId: string; event: LedgerEvent }>,
  stored: AnalyticsRefs,
  delta: AnalyticsDelta = emptyDelta(),
): AnalyticsDelta {
  const refs: AnalyticsRefs = {
    spend: (accountId, spendId) =>
      delta.spendRefs.get(key(accountId, spendId)) ?? stored.spend(accountId, spendId),
    purchase: (accountId, purchaseId) =>
      delta.purchaseRefs.get(key(accountId, purchaseId)) ?? stored.purchase(accountId, purchaseId),
  };
  for (const { accountId, event } of events)
    for (const fact of analyticsFacts(accountId, event, refs)) addFact(delta, fact);
  return delta;
}

/** The spends and purchases a batch refers to that it does not itself contain (to load them). */
export function referencedIds(events: ReadonlyArray<{ accountId: string; event: LedgerEvent }>): {
  spends: Array<{ accountId: string; id: string }>;
  purchases: Array<{ accountId: string; id: string }>;
} {
  const spends = new Map<string, { accountId: string; id: string }>();
  const purchases = new Map<string, { accountId: string; id: string }>();
  for (const { accountId, event } of events) {
    if (event.type === 'CreditsRefunded')
      spends.set(key(accountId, event.data.spendId), { accountId, id: event.data.spendId });
    if (event.type === 'PurchaseReversed' || event.type === 'ReversalUndone')
      purchases.set(key(accountId, event.data.purchaseId), {
        accountId,
        id: event.data.purchaseId,
      });
  }
  return { spends: [...spends.values()], purchases: [...purchases.values()] };
}

export const NO_REFS: AnalyticsRefs = { spend: () => undefined, purchase: () => undefined };
