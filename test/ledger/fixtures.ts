import type {
  Actor,
  BlockAmount,
  BlockCategory,
  CreditsAdjusted,
  CreditsExpired,
  CreditsGranted,
  CreditsPurchased,
  CreditsRefunded,
  CreditsReserved,
  CreditsSpent,
  GrantReason,
  LedgerEvent,
  LedgerEventMetadata,
  PurchaseReversed,
  ReversalUndone,
  ReleaseReason,
  ReservationReleased,
  ReversalReason,
} from '../../src/ledger';
import { CURRENT_SCHEMA_VERSION } from '../../src/ledger';

/** Builders for the events of given/when/then specs. Amount lists are written `{ b1: 30, b2: 20 }`. */

export const T0 = '2026-01-01T00:00:00.000Z';
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant `ms` after `from` (default T0). */
export function after(ms: number, from: string = T0): string {
  return new Date(Date.parse(from) + ms).toISOString();
}

export const TEST_ACTOR: Actor = { kind: 'apiKey', id: 'key-test' };

interface At {
  at?: string;
  idempotencyKey?: string;
  requestHash?: string;
  actor?: Actor;
}

export function amounts(perBlock: Record<string, number>): BlockAmount[] {
  return Object.entries(perBlock).map(([blockId, credits]) => ({ blockId, credits }));
}

function total(perBlock: Record<string, number>): number {
  return Object.values(perBlock).reduce((sum, credits) => sum + credits, 0);
}

function metadata({
  at = T0,
  idempotencyKey,
  requestHash,
  actor = TEST_ACTOR,
}: At): LedgerEventMetadata {
  return {
    occurredAt: at,
    correlationId: 'corr-given',
    actor,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    ...(idempotencyKey !== undefined && { idempotencyKey }),
    ...(requestHash !== undefined && { requestHash }),
  };
}

export function granted(
  blockId: string,
  credits: number,
  options: At & {
    category?: BlockCategory;
    reason?: GrantReason;
    expiresAt?: string;
    description?: string;
  } = {},
): CreditsGranted {
  const { category = 'promotional', reason = 'promotion', expiresAt, description } = options;
  return {
    type: 'CreditsGranted',
    data: {
      blockId,
      credits,
      category,
      reason,
      ...(expiresAt !== undefined && { expiresAt }),
      ...(description !== undefined && { description }),
    },
    metadata: metadata(options),
  };
}

export function purchased(
  blockId: string,
  credits: number,
  options: At & {
    purchaseId?: string;
    providerRef?: string;
    expiresAt?: string;
    packId?: string;
  } = {},
  provider = 'stripe',
): CreditsPurchased {
  const {
    purchaseId = `pur-${blockId}`,
    providerRef = `pi_${blockId}`,
    expiresAt,
    packId,
  } = options;
  return {
    type: 'CreditsPurchased',
    data: {
      blockId,
      purchaseId,
      credits,
      amountPaid: { minor: credits * 10, currency: 'USD' },
      ...(packId !== undefined && { packId }),
      provider,
      providerRef,
      ...(expiresAt !== undefined && { expiresAt }),
    },
    metadata: metadata(options),
  };
}

export function spent(
  spendId: string,
  drawdown: Record<string, number>,
  options: At & { description?: string; reservationId?: string; reference?: string } = {},
): CreditsSpent {
  const { description = 'usage', reservationId, reference } = options;
  return {
    type: 'CreditsSpent',
    data: {
      spendId,
      credits: total(drawdown),
      description,
      ...(reference !== undefined && { reference }),
      drawdown: amounts(drawdown),
      ...(reservationId !== undefined && { reservationId }),
    },
    metadata: metadata(options),
  };
}

export function adjusted(
  adjustmentId: string,
  drawdown: Record<string, number>,
  options: At & { reason?: string; description?: string } = {},
): CreditsAdjusted {
  const { reason = 'correction', description } = options;
  return {
    type: 'CreditsAdjusted',
    data: {
      adjustmentId,
      credits: total(drawdown),
      reason,
      ...(description !== undefined && { description }),
      drawdown: amounts(drawdown),
    },
    metadata: metadata(options),
  };
}

export function refunded(
  refundId: string,
  spendId: string,
  returnedTo: Record<string, number>,
  options: At & { reason?: string } = {},
): CreditsRefunded {
  return {
    type: 'CreditsRefunded',
    data: {
      refundId,
      spendId,
      credits: total(returnedTo),
      reason: options.reason ?? 'failed',
      returnedTo: amounts(returnedTo),
    },
    metadata: metadata(options),
  };
}

export function expired(blockId: string, credits: number, options: At = {}): CreditsExpired {
  return { type: 'CreditsExpired', data: { blockId, credits }, metadata: metadata(options) };
}

export function reserved(
  reservationId: string,
  drawdown: Record<string, number>,
  expiresAt: string,
  options: At & { description?: string } = {},
): CreditsReserved {
  return {
    type: 'CreditsReserved',
    data: {
      reservationId,
      credits: total(drawdown),
      expiresAt,
      drawdown: amounts(drawdown),
      ...(options.description !== undefined && { description: options.description }),
    },
    metadata: metadata(options),
  };
}

export function released(
  reservationId: string,
  returnedTo: Record<string, number>,
  reason: ReleaseReason = 'released',
  options: At & { note?: string } = {},
): ReservationReleased {
  return {
    type: 'ReservationReleased',
    data: {
      reservationId,
      credits: total(returnedTo),
      reason,
      returnedTo: amounts(returnedTo),
      ...(options.note !== undefined && { note: options.note }),
    },
    metadata: metadata(options),
  };
}

export function reversed(
  purchaseId: string,
  credits: number,
  removed: Record<string, number>,
  options: At & { reason?: ReversalReason; providerRef?: string; reversalId?: string } = {},
): PurchaseReversed {
  const { reason = 'refund', providerRef, reversalId } = options;
  return {
    type: 'PurchaseReversed',
    data: {
      purchaseId,
      credits,
      removed: amounts(removed),
      shortfall: credits - total(removed),
      reason,
      ...(providerRef !== undefined && { providerRef }),
      ...(reversalId !== undefined && { reversalId }),
    },
    metadata: metadata(options),
  };
}

export function undone(
  reversalId: string,
  purchaseId: string,
  restored: Record<string, number>,
  options: At & { reason?: ReversalReason; providerRef?: string; shortfallCancelled?: number } = {},
): ReversalUndone {
  const { reason = 'dispute', providerRef = 'pi_paid', shortfallCancelled = 0 } = options;
  return {
    type: 'ReversalUndone',
    data: {
      reversalId,
      purchaseId,
      credits: total(restored),
      restored: amounts(restored),
      shortfallCancelled,
      reason,
      providerRef,
    },
    metadata: metadata(options),
  };
}

/** Credits a single event adds to (+) or takes from (−) the balance: LEDGER.md invariant 2. */
export function balanceChange(event: LedgerEvent): number {
  switch (event.type) {
    case 'CreditsPurchased':
    case 'CreditsGranted':
    case 'CreditsRefunded':
      return event.data.credits;
    case 'CreditsSpent':
    case 'CreditsAdjusted':
    case 'CreditsExpired':
      return -event.data.credits;
    case 'PurchaseReversed':
      return -event.data.removed.reduce((sum, { credits }) => sum + credits, 0);
    case 'ReversalUndone':
      return event.data.restored.reduce((sum, { credits }) => sum + credits, 0);
    case 'GiftCodesFunded':
      return -event.data.credits;
    case 'GiftCodeRedeemed':
      return event.data.credits;
    case 'CreditsReserved':
    case 'ReservationReleased':
    case 'MemberSet':
    case 'MemberRemoved':
    case 'TransferDeclined':
    case 'AccountClosed':
    case 'SubscriptionStarted':
    case 'SubscriptionRenewed':
    case 'SubscriptionPlanChanged':
    case 'SubscriptionCanceled':
    case 'AutoTopUpSucceeded':
    case 'AutoTopUpFailed':
      return 0;
    case 'TransferSent':
      return -event.data.credits;
    case 'TransferReceived':
    case 'TransferReturned':
      return event.data.credits;
  }
}
