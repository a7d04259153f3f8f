import type { LedgerEvent, LedgerEventType } from '../../ledger/events';
import type { WebhookEventType } from './event-types';

/** A fact to publish: its type and `data` (the reactor adds accountId and the balances after it). */
export interface Fact {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

type FactOf = { [T in LedgerEventType]?: (event: Extract<LedgerEvent, { type: T }>) => Fact };

/**
 * The ledger events published as webhook facts, one line each (pure). Spends, holds and releases
 * are not published: they are the product backend's own calls, and the balance alerts say what
 * they did to the balance.
 */
const FACTS: FactOf = {
  CreditsPurchased: ({ data }) => ({
    type: 'credits.purchased',
    data: {
      purchaseId: data.purchaseId,
      blockId: data.blockId,
      credits: data.credits,
      amountPaid: data.amountPaid,
      packId: data.packId ?? null,
      provider: data.provider,
      providerRef: data.providerRef,
      expiresAt: data.expiresAt ?? null,
    },
  }),
  CreditsGranted: ({ data }) => ({
    type: 'credits.granted',
    data: {
      blockId: data.blockId,
      credits: data.credits,
      category: data.category,
      reason: data.reason,
      expiresAt: data.expiresAt ?? null,
      description: data.description ?? null,
    },
  }),
  CreditsRefunded: ({ data }) => ({
    type: 'credits.refunded',
    data: {
      refundId: data.refundId,
      spendId: data.spendId,
      credits: data.credits,
      reason: data.reason,
    },
  }),
  CreditsExpired: ({ data }) => ({
    type: 'credits.expired',
    data: { blockId: data.blockId, credits: data.credits },
  }),
  PurchaseReversed: ({ data }) => ({
    type: 'purchase.reversed',
    data: {
      purchaseId: data.purchaseId,
      credits: data.credits,
      shortfall: data.shortfall,
      reason: data.reason,
      providerRef: data.providerRef ?? null,
    },
  }),
};

export function ledgerFact(event: LedgerEvent): Fact | null {
  const toFact = FACTS[event.type] as ((event: LedgerEvent) => Fact) | undefined;
  return toFact ? toFact(event) : null;
}
