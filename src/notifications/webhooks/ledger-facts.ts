import type { LedgerEvent, LedgerEventType } from '../../ledger/events';
import type { WebhookEventType } from './event-types';

/** A fact to publish: its type and `data` (the reactor adds accountId and the balances after it). */
export interface Fact {
  type: WebhookEventType;
  data: Record<string, unknown>;
  /**
   * false: no `balance`/`available` in data. A renewal's credits are the CreditsGranted appended
   * just after it, so the balance right after SubscriptionRenewed would not show them yet.
   */
  withBalances?: false;
}

type FactOf = {
  [T in LedgerEventType]?: (
    event: Extract<LedgerEvent, { type: T }>,
    accountId: string,
  ) => Fact | null;
};

/**
 * The ledger events published as webhook facts, one line each (pure). Spends, holds and releases
 * are not published: they are the product backend's own calls, and the balance alerts say what
 * they did to the balance. A transfer is published once, when it completes: on the destination's
 * TransferReceived (a merge moving a lead's credits is not a transfer anyone asked for).
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
  TransferReceived: ({ data }, accountId) =>
    data.purpose === 'transfer'
      ? {
          type: 'transfer.completed',
          data: {
            transferId: data.transferId,
            from: data.from,
            to: accountId,
            credits: data.credits,
          },
        }
      : null,
  SubscriptionRenewed: ({ data }) => ({
    type: 'subscription.renewed',
    data: {
      subscriptionId: data.subscriptionId,
      invoiceId: data.invoiceId,
      planId: data.plan.planId,
      periodStart: data.periodStart,
      periodEnd: data.periodEnd,
      credits: data.credits,
      rolloverCredits: data.rollover?.credits ?? 0,
    },
    withBalances: false,
  }),
  SubscriptionCanceled: ({ data }) => ({
    type: 'subscription.canceled',
    data: { subscriptionId: data.subscriptionId, planId: data.planId, endedAt: data.endedAt },
  }),
  AutoTopUpSucceeded: ({ data }) => ({
    type: 'auto_top_up.succeeded',
    data: {
      paymentIntentId: data.paymentIntentId,
      packId: data.packId,
      credits: data.credits,
      purchaseId: data.purchaseId,
    },
  }),
  AutoTopUpFailed: ({ data }) => ({
    type: 'auto_top_up.failed',
    data: {
      paymentIntentId: data.paymentIntentId,
      packId: data.packId,
      reason: data.reason,
      consecutiveFailures: data.consecutiveFailures,
      disabled: data.disabled,
    },
  }),
};

export function ledgerFact(event: LedgerEvent, accountId: string): Fact | null {
  const toFact = FACTS[event.type] as
    ((event: LedgerEvent, accountId: string) => Fact | null) | undefined;
  return toFact ? toFact(event, accountId) : null;
}
