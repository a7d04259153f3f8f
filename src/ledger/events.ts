/**
 * The stream's vocabulary (LEDGER.md "Events"). Data is plain JSON: integers for credits and
 * money, ISO-8601 strings for instants. The four names from the product brief
 * (CreditsPurchased, CreditsSpent, CreditsRefunded, CreditsExpired) are fixed.
 */
export type BlockCategory = 'paid' | 'promotional';
export type GrantReason =
  | 'signup'
  | 'subscription'
  | 'rollover'
  | 'promotion'
  | 'referral'
  | 'compensation'
  | 'lead'
  | 'adjustment';
/**
 * Where a block's credits came from (API.md "Balance answers"), so a balance can show
 * subscription and rollover credits apart from bought ones. Derived when the block is opened:
 * from the event type, and for a grant from its reason (`sourceOfGrant`).
 */
export type BlockSource = 'purchase' | 'grant' | 'subscription' | 'rollover' | 'transfer' | 'gift';
export type ReleaseReason = 'released' | 'expired' | 'captured_remainder';
export type ReversalReason = 'refund' | 'dispute';
export type ActorKind = 'apiKey' | 'stripe' | 'system' | 'admin';

export interface Money {
  /** Integer amount in the currency's minor unit (cents for USD). */
  minor: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

/** One block and how many credits a spend, hold, refund or reversal moved in it. */
export interface BlockAmount {
  blockId: string;
  credits: number;
}

/**
 * What a priced spend or hold was for (PRODUCT.md §1): the operation as priced, by which version of
 * the rate card. Recorded so that finance can tell what a charge was, whatever the card says later.
 */
export interface OperationRecord {
  operationId: string;
  quantity: number;
  /** The dimension values the price used (`{ resolution: '4k' }`); {} when none. */
  dimensions: Record<string, string>;
  rateCardVersion: number;
}

/**
 * The quote a spend or hold paid. A quote is used once: the account remembers the quotes its
 * events used until they expire (after that, a second use is refused as expired anyway).
 */
export interface QuoteUse {
  quoteId: string;
  expiresAt: string;
}

export interface Actor {
  kind: ActorKind;
  id: string;
}

export interface LedgerEventMetadata {
  occurredAt: string;
  idempotencyKey?: string;
  requestHash?: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  schemaVersion: number;
}

export const CURRENT_SCHEMA_VERSION = 1;

interface EventOf<T extends string, D> {
  type: T;
  data: D;
  metadata: LedgerEventMetadata;
}

export type CreditsPurchased = EventOf<
  'CreditsPurchased',
  {
    blockId: string;
    purchaseId: string;
    credits: number;
    amountPaid: Money;
    packId?: string;
    provider: string;
    providerRef: string;
    expiresAt?: string;
  }
>;

export type CreditsGranted = EventOf<
  'CreditsGranted',
  {
    blockId: string;
    credits: number;
    category: BlockCategory;
    reason: GrantReason;
    expiresAt?: string;
    description?: string;
  }
>;

export type CreditsSpent = EventOf<
  'CreditsSpent',
  {
    spendId: string;
    credits: number;
    description: string;
    reference?: string;
    /** Caller-supplied, opaque key/value pairs kept with the spend. */
    details?: Record<string, string>;
    drawdown: BlockAmount[];
    reservationId?: string;
    /** A priced spend: the operation it paid for (a capture: at the hold's card version). */
    operation?: OperationRecord;
    /** A spend that paid a quote. */
    quote?: QuoteUse;
    /** An organization pool's member who spent (PRODUCT.md §3): counted against its limit. */
    member?: string;
  }
>;

/**
 * An admin took credits off the account ("adjust down", a correction with a reason): drawn from
 * available credits in drawdown order like a spend, never below zero available. Not usage: finance
 * sees it as an adjustment, never as a spend (docs/audit.md, docs/reports.md).
 */
export type CreditsAdjusted = EventOf<
  'CreditsAdjusted',
  {
    adjustmentId: string;
    credits: number;
    /** Why, required: shown as the history row's description and in the audit book. */
    reason: string;
    description?: string;
    drawdown: BlockAmount[];
  }
>;

export type CreditsRefunded = EventOf<
  'CreditsRefunded',
  {
    refundId: string;
    spendId: string;
    credits: number;
    reason: string;
    returnedTo: BlockAmount[];
  }
>;

export type CreditsExpired = EventOf<
  'CreditsExpired',
  {
    blockId: string;
    credits: number;
  }
>;

export type CreditsReserved = EventOf<
  'CreditsReserved',
  {
    reservationId: string;
    credits: number;
    expiresAt: string;
    drawdown: BlockAmount[];
    description?: string;
    /** A priced hold: the operation it holds for; its capture is priced at this card version. */
    operation?: OperationRecord;
    /** A hold that paid a quote. */
    quote?: QuoteUse;
  }
>;

export type ReservationReleased = EventOf<
  'ReservationReleased',
  {
    reservationId: string;
    credits: number;
    reason: ReleaseReason;
    /** Where the released credits went back to (the hold's drawdown, last-drawn first). */
    returnedTo: BlockAmount[];
    /** The operator's reason, as typed; only when one was given (`reason` is the machine's). */
    note?: string;
  }
>;

export type PurchaseReversed = EventOf<
  'PurchaseReversed',
  {
    purchaseId: string;
    /** Credits that were to be removed. */
    credits: number;
    removed: BlockAmount[];
    /** credits − sum(removed): already spent, reported to finance. */
    shortfall: number;
    reason: ReversalReason;
    providerRef?: string;
    /**
     * What caused it at the provider (e.g. `dispute:du_…`, `refund:re_…`), when it may be undone
     * later (a dispute won, a refund that failed). At most one reversal per id, ever.
     */
    reversalId?: string;
  }
>;

/**
 * The money of a reversal came back after all (a dispute won, a refund that failed or was canceled):
 * what that reversal removed goes back to the blocks it came from (their category and expiry kept;
 * what lands in an expired block is expired in the same append). Credits that were already spent
 * (the reversal's shortfall) are not given back: they were never removed, the shortfall is simply
 * no longer owed. Written at most once per reversalId. When it comes before the reversal it undoes
 * (Stripe does not order its events), it restores nothing and the reversal, when it arrives, is
 * never applied: `reversalId` is then settled.
 */
export type ReversalUndone = EventOf<
  'ReversalUndone',
  {
    reversalId: string;
    purchaseId: string;
    /** Credits given back: sum(restored). */
    credits: number;
    restored: BlockAmount[];
    /** The shortfall of the reversal undone, no longer owed. */
    shortfallCancelled: number;
    reason: ReversalReason;
    providerRef?: string;
  }
>;

/** How much a pool member may spend per UTC calendar period (PRODUCT.md §3). */
export type LimitPeriod = 'day' | 'month';
export interface MemberLimit {
  credits: number;
  period: LimitPeriod;
}

/** A member joined an organization pool, or its limit changed; no limit: `limit` absent. */
export type MemberSet = EventOf<'MemberSet', { memberId: string; limit?: MemberLimit }>;

/** A member left the pool: its spends are refused from now on, its usage is forgotten. */
export type MemberRemoved = EventOf<'MemberRemoved', { memberId: string }>;

/** A drawn block's credits with what the receiver must keep of it (category, expiry). */
export interface EscrowedAmount extends BlockAmount {
  category: BlockCategory;
  expiresAt: string | null;
}

/**
 * Credits left this account into escrow, to fund gift codes minted together (`mintId`): each of
 * the `count` codes carries `creditsPerCode`, taken from `drawdown` in order (giftParts).
 */
export type GiftCodesFunded = EventOf<
  'GiftCodesFunded',
  {
    mintId: string;
    credits: number;
    count: number;
    creditsPerCode: number;
    drawdown: EscrowedAmount[];
  }
>;

/**
 * A gift code was redeemed into this account: one block per part (category and expiry as funded),
 * each with source `gift`. `codeHash` is the code's SHA-256, never the code; the append claims it
 * ledger-wide so a code is redeemed once.
 */
export type GiftCodeRedeemed = EventOf<
  'GiftCodeRedeemed',
  {
    codeHash: string;
    credits: number;
    blocks: { blockId: string; credits: number; category: BlockCategory; expiresAt?: string }[];
    fundedBy?: string;
  }
>;

/**
 * Credits a transfer (or a merge) takes out of one block, with what the receiving block keeps: a
 * promotional credit stays promotional and keeps its expiry (PRODUCT.md §2).
 */
export interface MovedCredits extends BlockAmount {
  category: BlockCategory;
  expiresAt?: string;
}

/** Why credits move between accounts: a transfer asked for, or a lead merged into its user. */
export type TransferPurpose = 'transfer' | 'merge';

/** Why a destination did not take a transfer in (the credits go back to the source). */
export type TransferDeclineReason = 'account_closed' | 'balance_limit';

/**
 * First step of a transfer, on the source: the credits leave its blocks. The destination is
 * credited by a TransferReceived on its own stream, driven by the transfers reactor (or returned by a
 * TransferReturned here when it declines): docs/architecture.md "Transfers".
 */
export type TransferSent = EventOf<
  'TransferSent',
  {
    transferId: string;
    to: string;
    credits: number;
    reason: string;
    purpose: TransferPurpose;
    drawdown: MovedCredits[];
    /** A merge's: the operator's reason, as typed; only when one was given. */
    note?: string;
  }
>;

/** Second step, on the destination: one new block per block drawn, category and expiry kept. */
export type TransferReceived = EventOf<
  'TransferReceived',
  {
    transferId: string;
    from: string;
    credits: number;
    purpose: TransferPurpose;
    blocks: Array<MovedCredits & { fromBlockId: string }>;
    /** The sender's note (a merge's operator reason), carried so the receiving side shows it too. */
    note?: string;
  }
>;

/** The destination refused the transfer (closed, or it would pass the balance limit): forever. */
export type TransferDeclined = EventOf<
  'TransferDeclined',
  {
    transferId: string;
    from: string;
    credits: number;
    purpose: TransferPurpose;
    reason: TransferDeclineReason;
  }
>;

/** A declined transfer's credits back in the source's blocks (those expired since are lost). */
export type TransferReturned = EventOf<
  'TransferReturned',
  {
    transferId: string;
    to: string;
    credits: number;
    purpose: TransferPurpose;
    reason: TransferDeclineReason;
    returnedTo: BlockAmount[];
  }
>;

/**
 * A lead merged into `into` (PRODUCT.md §2): its last event as an open account; later client writes
 * are refused (account_closed). `credits`: what the merge moved (its TransferSent, id = mergeId).
 */
export type AccountClosed = EventOf<
  'AccountClosed',
  {
    reason: 'merged';
    mergeId: string;
    into: string;
    credits: number;
    /** The operator's reason for the merge, as typed; only when one was given. */
    note?: string;
  }
>;

/** What a subscription plan gives per period, as it was when the period was paid (src/subscriptions). */
export interface SubscriptionPlanTerms {
  planId: string;
  creditsPerPeriod: number;
  rollover: {
    /** At most this many unused credits of a period roll over into the next (0: none). */
    maxCredits: number;
    /** A rollover block expires this many periods after the end of the period it came from. */
    expiresAfterPeriods: number;
  };
}

/** The unused credits of the ending period at a renewal, and what rolled over (PRODUCT.md §4). */
export interface RolloverRecord {
  /** The end of the period the credits come from. */
  fromPeriodEnd: string;
  /** Credits of that period unused at its end (expired, or expired by this renewal). */
  unusedCredits: number;
  /** Credits that rolled over: min(unusedCredits, maxCredits); 0 when nothing did. */
  credits: number;
  /** The rollover block (a CreditsGranted with reason `rollover`), when credits > 0. */
  blockId?: string;
  expiresAt?: string;
}

/**
 * A subscription period was paid (Stripe `invoice.paid`): its credits are granted by the
 * CreditsGranted (reason `subscription`) of the same append. SubscriptionStarted for the first
 * paid period of a subscription, SubscriptionRenewed for every later one (notices:
 * `subscription.renewed`).
 */
type SubscriptionPeriodData = {
  subscriptionId: string;
  invoiceId: string;
  plan: SubscriptionPlanTerms;
  periodStart: string;
  periodEnd: string;
  /** Credits granted for the period now (0 when it was already over when paid). */
  credits: number;
  blockId?: string;
  /** Only on renewals. */
  rollover?: RolloverRecord;
};

export type SubscriptionStarted = EventOf<'SubscriptionStarted', SubscriptionPeriodData>;
export type SubscriptionRenewed = EventOf<'SubscriptionRenewed', SubscriptionPeriodData>;

/**
 * The plan of a subscription changed (Stripe `customer.subscription.updated`). An upgrade within a
 * paid period grants the difference at once (`credits`, block `blockId`, expiring at the period's
 * end); a downgrade, or a change seen before its period was paid, grants nothing now
 * (`effective: next_period`): the period's own invoice brings the plan.
 */
export type SubscriptionPlanChanged = EventOf<
  'SubscriptionPlanChanged',
  {
    subscriptionId: string;
    fromPlanId: string | null;
    plan: SubscriptionPlanTerms;
    periodStart: string;
    periodEnd: string;
    effective: 'now' | 'next_period';
    credits: number;
    blockId?: string;
  }
>;

/**
 * The subscription ended (Stripe `customer.subscription.deleted`): no period starting from
 * `endedAt` is granted; credits already granted stay until they expire. Notices:
 * `subscription.canceled`.
 */
export type SubscriptionCanceled = EventOf<
  'SubscriptionCanceled',
  { subscriptionId: string; planId: string | null; endedAt: string }
>;

/**
 * An automatic top-up (PRODUCT.md §4) was paid: its credits are the CreditsPurchased of the same
 * PaymentIntent (`purchaseId`). Notices: `auto_top_up.succeeded`.
 */
export type AutoTopUpSucceeded = EventOf<
  'AutoTopUpSucceeded',
  { paymentIntentId: string; packId: string; credits: number; purchaseId: string }
>;

/**
 * An automatic top-up's charge failed. `consecutiveFailures` counts this one; `disabled`: this
 * failure turned auto top-up off. Notices: `auto_top_up.failed`.
 */
export type AutoTopUpFailed = EventOf<
  'AutoTopUpFailed',
  {
    paymentIntentId: string;
    packId: string;
    reason: string;
    consecutiveFailures: number;
    disabled: boolean;
  }
>;

export type LedgerEvent =
  | CreditsPurchased
  | CreditsGranted
  | CreditsSpent
  | CreditsAdjusted
  | CreditsRefunded
  | CreditsExpired
  | CreditsReserved
  | ReservationReleased
  | PurchaseReversed
  | ReversalUndone
  | MemberSet
  | MemberRemoved
  | GiftCodesFunded
  | GiftCodeRedeemed
  | TransferSent
  | TransferReceived
  | TransferDeclined
  | TransferReturned
  | AccountClosed
  | SubscriptionStarted
  | SubscriptionRenewed
  | SubscriptionPlanChanged
  | SubscriptionCanceled
  | AutoTopUpSucceeded
  | AutoTopUpFailed;

export type LedgerEventType = LedgerEvent['type'];

export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = [
  'CreditsPurchased',
  'CreditsGranted',
  'CreditsSpent',
  'CreditsAdjusted',
  'CreditsRefunded',
  'CreditsExpired',
  'CreditsReserved',
  'ReservationReleased',
  'PurchaseReversed',
  'ReversalUndone',
  'MemberSet',
  'MemberRemoved',
  'GiftCodesFunded',
  'GiftCodeRedeemed',
  'TransferSent',
  'TransferReceived',
  'TransferDeclined',
  'TransferReturned',
  'AccountClosed',
  'SubscriptionStarted',
  'SubscriptionRenewed',
  'SubscriptionPlanChanged',
  'SubscriptionCanceled',
  'AutoTopUpSucceeded',
  'AutoTopUpFailed',
];
