import type {
  BlockAmount,
  BlockCategory,
  LedgerEvent,
  LedgerEventType,
  Money,
  OperationRecord,
} from '../../src/ledger/events';

/**
 * Pure functions from one ledger event to what it changes in the read models. They mirror the
 * domain's evolve (src/ledger/evolve.ts) on the three numbers the read models keep; `ledger verify`
 * checks them against a fresh fold with the domain itself.
 *
 * - available: credits in blocks (the domain's `unexpiredRemaining`: what the events left there;
 *   a block past its expiresAt counts until its CreditsExpired is recorded).
 * - reserved: credits held by open reservations.
 * - balance = available + reserved.
 */
export interface Totals {
  balance: number;
  available: number;
  reserved: number;
}

export const ZERO_TOTALS: Totals = Object.freeze({ balance: 0, available: 0, reserved: 0 });

export interface TotalsChange {
  available: number;
  reserved: number;
}

/** The transaction row types of API.md, one per event type. */
export type TransactionType =
  | 'purchase'
  | 'grant'
  | 'spend'
  /** An admin's debit with a reason ("adjust down"), CreditsAdjusted: never a spend. */
  | 'adjusted'
  | 'refund'
  | 'expiry'
  | 'reservation'
  | 'release'
  | 'reversal'
  | 'reinstatement'
  | 'gift'
  | 'member'
  /** Credits moved between accounts: out (TransferSent), in (TransferReceived), back (TransferReturned). */
  | 'transfer'
  /** The account was closed (a lead merged); moves nothing. */
  | 'closure'
  /** A subscription fact (started, renewed, plan changed, canceled): no credits of its own. */
  | 'subscription'
  /** An automatic top-up succeeded or failed: no credits of its own (they are the purchase's). */
  | 'auto_top_up';

export const TRANSACTION_TYPES: readonly TransactionType[] = [
  'purchase',
  'grant',
  'spend',
  'adjusted',
  'refund',
  'expiry',
  'reservation',
  'release',
  'reversal',
  'reinstatement',
  'gift',
  'member',
  'transfer',
  'closure',
  'subscription',
  'auto_top_up',
];

export const TRANSACTION_TYPE_OF: Readonly<Record<LedgerEventType, TransactionType>> = {
  CreditsPurchased: 'purchase',
  CreditsGranted: 'grant',
  CreditsSpent: 'spend',
  CreditsAdjusted: 'adjusted',
  CreditsRefunded: 'refund',
  CreditsExpired: 'expiry',
  CreditsReserved: 'reservation',
  ReservationReleased: 'release',
  PurchaseReversed: 'reversal',
  ReversalUndone: 'reinstatement',
  // Programs (PRODUCT.md §2–3): escrow out of a funder and a redemption in are gifts; a pool's
  // member changes move no credits (a row of 0, so every event keeps its one row).
  GiftCodesFunded: 'gift',
  GiftCodeRedeemed: 'gift',
  MemberSet: 'member',
  MemberRemoved: 'member',
  TransferSent: 'transfer',
  TransferReceived: 'transfer',
  TransferDeclined: 'transfer',
  TransferReturned: 'transfer',
  AccountClosed: 'closure',
  SubscriptionStarted: 'subscription',
  SubscriptionRenewed: 'subscription',
  SubscriptionPlanChanged: 'subscription',
  SubscriptionCanceled: 'subscription',
  AutoTopUpSucceeded: 'auto_top_up',
  AutoTopUpFailed: 'auto_top_up',
};

function sum(amounts: readonly BlockAmount[]): number {
  return amounts.reduce((total, amount) => total + amount.credits, 0);
}

/** How the event moves available and reserved credits (exactly as evolve moves them). */
export function totalsChange(event: LedgerEvent): TotalsChange {
  switch (event.type) {
    case 'CreditsPurchased':
    case 'CreditsGranted':
      return { available: event.data.credits, reserved: 0 };
    case 'CreditsSpent':
      // A capture spends credits that are already out of the blocks, held by the reservation.
      return event.data.reservationId === undefined
        ? { available: -sum(event.data.drawdown), reserved: 0 }
        : { available: 0, reserved: -event.data.credits };
    case 'CreditsAdjusted':
      return { available: -sum(event.data.drawdown), reserved: 0 };
    case 'CreditsRefunded':
      return { available: sum(event.data.returnedTo), reserved: 0 };
    case 'CreditsExpired':
      return { available: -event.data.credits, reserved: 0 };
    case 'CreditsReserved':
      return { available: -sum(event.data.drawdown), reserved: event.data.credits };
    case 'ReservationReleased':
      return { available: sum(event.data.returnedTo), reserved: -event.data.credits };
    case 'PurchaseReversed':
      return { available: -sum(event.data.removed), reserved: 0 };
    case 'ReversalUndone':
      return { available: sum(event.data.restored), reserved: 0 };
    case 'GiftCodesFunded':
      return { available: -sum(event.data.drawdown), reserved: 0 };
    case 'GiftCodeRedeemed':
      return { available: sum(event.data.blocks), reserved: 0 };
    case 'TransferSent':
      return { available: -sum(event.data.drawdown), reserved: 0 };
    case 'TransferReceived':
      return { available: event.data.credits, reserved: 0 };
    case 'TransferReturned':
      return { available: sum(event.data.returnedTo), reserved: 0 };
    case 'MemberSet':
    case 'MemberRemoved':
    case 'TransferDeclined':
    case 'AccountClosed':
    // The subscription and auto top-up events are facts only: their credits move in the
    // CreditsGranted / CreditsPurchased beside them.
    // falls through
    case 'SubscriptionStarted':
    case 'SubscriptionRenewed':
    case 'SubscriptionPlanChanged':
    case 'SubscriptionCanceled':
    case 'AutoTopUpSucceeded':
    case 'AutoTopUpFailed':
      return { available: 0, reserved: 0 };
  }
}

export function applyTotals(before: Totals, change: TotalsChange): Totals {
  const available = before.available + change.available;
  const reserved = before.reserved + change.reserved;
  return { balance: available + reserved, available, reserved };
}

/** A new block (purchase or grant). */
export interface OpenedBlock {
  blockId: string;
  category: BlockCategory;
  credits: number;
  grantedAt: string;
  expiresAt: string | null;
  purchaseId: string | null;
  costBasis: Money | null;
}

export type BlockChange =
  | { kind: 'open'; block: OpenedBlock }
  /** Credits into (+) or out of (−) a block. */
  | { kind: 'adjust'; blockId: string; credits: number }
  /** A CreditsExpired: the credits leave and the block is marked expired. */
  | { kind: 'expire'; blockId: string; credits: number };

const outOf = (amounts: readonly BlockAmount[]): BlockChange[] =>
  amounts.map(({ blockId, credits }) => ({ kind: 'adjust', blockId, credits: -credits }));
const into = (amounts: readonly BlockAmount[]): BlockChange[] =>
  amounts.map(({ blockId, credits }) => ({ kind: 'adjust', blockId, credits }));

/** How the event changes the account's blocks, in the order evolve applies them. */
export function blockChanges(event: LedgerEvent): BlockChange[] {
  const { metadata } = event;
  switch (event.type) {
    case 'CreditsPurchased':
      return [
        {
          kind: 'open',
          block: {
            blockId: event.data.blockId,
            category: 'paid',
            credits: event.data.credits,
            grantedAt: metadata.occurredAt,
            expiresAt: event.data.expiresAt ?? null,
            purchaseId: event.data.purchaseId,
            costBasis: { ...event.data.amountPaid },
          },
        },
      ];
    case 'CreditsGranted':
      return [
        {
          kind: 'open',
          block: {
            blockId: event.data.blockId,
            category: event.data.category,
            credits: event.data.credits,
            grantedAt: metadata.occurredAt,
            expiresAt: event.data.expiresAt ?? null,
            purchaseId: null,
            costBasis: null,
          },
        },
      ];
    case 'CreditsSpent':
      return event.data.reservationId === undefined ? outOf(event.data.drawdown) : [];
    case 'CreditsAdjusted':
      return outOf(event.data.drawdown);
    case 'CreditsRefunded':
      return into(event.data.returnedTo);
    case 'CreditsExpired':
      return [{ kind: 'expire', blockId: event.data.blockId, credits: event.data.credits }];
    case 'CreditsReserved':
      return outOf(event.data.drawdown);
    case 'ReservationReleased':
      return into(event.data.returnedTo);
    case 'PurchaseReversed':
      return outOf(event.data.removed);
    case 'ReversalUndone':
      return into(event.data.restored);
    case 'GiftCodesFunded':
      return outOf(event.data.drawdown);
    case 'TransferSent':
      return outOf(event.data.drawdown);
    case 'GiftCodeRedeemed':
    case 'TransferReceived':
      return event.data.blocks.map((block) => ({
        kind: 'open',
        block: {
          blockId: block.blockId,
          category: block.category,
          credits: block.credits,
          grantedAt: metadata.occurredAt,
          expiresAt: block.expiresAt ?? null,
          purchaseId: null,
          costBasis: null,
        },
      }));
    case 'TransferReturned':
      return into(event.data.returnedTo);
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
      return [];
  }
}

/** The block ids an event refers to (to load them before a batch is applied). */
export function blockIdsOf(event: LedgerEvent): string[] {
  return blockChanges(event).map((change) =>
    change.kind === 'open' ? change.block.blockId : change.blockId,
  );
}

/** A history row's own fields (the running totals are added by the transactions projection). */
export interface TransactionFacts {
  type: TransactionType;
  /** Signed change of balance: + credits in, − credits out, 0 for holds and releases. */
  credits: number;
  /** Signed change of reserved: + for a hold, − for a release or a capture. */
  reservedChange: number;
  description: string | null;
  reference: string | null;
  /** The caller's metadata (a spend's `metadata`); {} otherwise. */
  metadata: Record<string, string>;
  /** A priced spend's or hold's operation (PRODUCT.md §1); null otherwise. */
  operation: OperationRecord | null;
  /** The event's data without the fields shown above: ids, reasons, drawdown, expiry, money. */
  detail: Record<string, unknown>;
}

export function transactionFacts(event: LedgerEvent): TransactionFacts {
  const change = totalsChange(event);
  const { description, reference, details, operation, ...detail } = event.data as Record<
    string,
    unknown
  > & {
    description?: string;
    reference?: string;
    details?: Record<string, string>;
    operation?: OperationRecord;
  };
  return {
    type: TRANSACTION_TYPE_OF[event.type],
    credits: change.available + change.reserved,
    reservedChange: change.reserved,
    description: describe(event) ?? description ?? null,
    reference: referenceOf(event) ?? reference ?? null,
    metadata: { ...(details ?? {}), ...memberOf(event) },
    operation: operation ?? null,
    detail,
  };
}

/** A pool member's spend shows the member in the row's metadata (PRODUCT.md §3). */
function memberOf(event: LedgerEvent): { member?: string } {
  return event.type === 'CreditsSpent' && event.data.member !== undefined
    ? { member: event.data.member }
    : {};
}

/**
 * Events without a description of their own show their reason: the operator's (a release's or a
 * merge's `note`) before the machine's.
 */
function describe(event: LedgerEvent): string | undefined {
  switch (event.type) {
    case 'CreditsRefunded':
    case 'CreditsAdjusted':
      return event.data.reason;
    case 'TransferSent':
      return event.data.note ?? event.data.reason;
    case 'ReservationReleased':
    case 'TransferReceived':
    case 'AccountClosed':
      return event.data.note;
    case 'GiftCodesFunded':
      return `Gift codes funded: ${event.data.count} × ${event.data.creditsPerCode} credits`;
    case 'GiftCodeRedeemed':
      return 'Gift code redeemed';
    case 'MemberSet':
      return `Member ${event.data.memberId} set`;
    case 'MemberRemoved':
      return `Member ${event.data.memberId} removed`;
    default:
      return undefined;
  }
}

/** Purchases and reversals carry the payment's reference (e.g. the PaymentIntent id). */
function referenceOf(event: LedgerEvent): string | undefined {
  if (event.type === 'CreditsPurchased') return event.data.providerRef;
  if (event.type === 'PurchaseReversed' || event.type === 'ReversalUndone')
    return event.data.providerRef;
  return undefined;
}
