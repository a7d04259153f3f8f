import type {
  SubscriptionPlanTerms,
  Actor,
  BlockCategory,
  GrantReason,
  MemberLimit,
  Money,
  MovedCredits,
  OperationRecord,
  QuoteUse,
  ReversalReason,
  TransferDeclineReason,
  TransferPurpose,
} from './events';

/**
 * Commands the decider understands: plain data, one `<UseCase>Command` per kind. (The application's
 * command classes that carry them to an account, src/accounts/commands, are named after the use
 * case alone: SpendCredits carries a SpendCreditsCommand.) Ids of things a command creates
 * (blockId, spendId, …) are chosen by the caller so that `decide` stays a pure function.
 */
export interface PurchaseCreditsCommand {
  kind: 'purchase';
  blockId: string;
  purchaseId: string;
  credits: number;
  amountPaid: Money;
  packId?: string;
  provider: string;
  /** e.g. the Stripe PaymentIntent id; deduplicated forever. */
  providerRef: string;
  expiresAt?: string;
}

export interface GrantCreditsCommand {
  kind: 'grant';
  blockId: string;
  credits: number;
  category: BlockCategory;
  reason: GrantReason;
  expiresAt?: string;
  description?: string;
}

/**
 * A spend or hold priced by the application (an operation at the current card, or a quote): the
 * credits are already computed; what the decider must still check against the account itself
 * travels with them, so that it is refused atomically with the write.
 */
export interface PricedCharge {
  /** What it pays for; recorded on the event. */
  operation?: OperationRecord;
  /** The operation's minimumAvailable: refused (minimum_available) when less is available. */
  minimumAvailable?: number;
  /** The quote it pays: refused when expired or already used (quote_expired, quote_used). */
  quote?: QuoteUse;
}

export interface SpendCreditsCommand extends PricedCharge {
  kind: 'spend';
  spendId: string;
  credits: number;
  description: string;
  reference?: string;
  details?: Record<string, string>;
  /** A pool member spending from this (organization) account: checked against its limit. */
  member?: string;
}

/**
 * An admin debit with a reason ("adjust down"): all or nothing, from available credits in drawdown
 * order like a spend. Who may adjust is checked by the caller (scope admin).
 */
export interface AdjustCreditsCommand {
  kind: 'adjust';
  adjustmentId: string;
  credits: number;
  reason: string;
  description?: string;
}

export interface RefundSpendCommand {
  kind: 'refund';
  refundId: string;
  spendId: string;
  /** Default: all that is left of the spend. */
  credits?: number;
  reason: string;
}

export interface ReserveCreditsCommand extends PricedCharge {
  kind: 'reserve';
  reservationId: string;
  credits: number;
  ttlSeconds: number;
  description?: string;
}

export interface CaptureReservationCommand {
  kind: 'capture';
  reservationId: string;
  spendId: string;
  /** Default: all that is held. */
  credits?: number;
  description?: string;
  /**
   * A capture of a priced hold for the quantity actually used, priced at the hold's card version.
   * Without it, a priced hold's capture records the hold's own operation.
   */
  operation?: OperationRecord;
}

export interface ReleaseReservationCommand {
  kind: 'release';
  reservationId: string;
  /** The operator's reason, recorded as the event's `note`. */
  note?: string;
}

/** Expire whatever is due at `now` (blocks and holds). Used by the background worker. */
export interface ExpireDueCommand {
  kind: 'expire';
}

/**
 * How much to reverse, in one of two forms:
 * - `credits`: remove this many more credits (an admin's one-off correction);
 * - `totalCredits`: bring the purchase's reversals up to this cumulative total. Stripe reports
 *   refunds cumulatively (amount_refunded), so a redelivered or reordered webhook asks for a total
 *   already reached and writes nothing.
 * Either way a purchase is never reversed beyond the credits it bought.
 */
export type ReversalAmount =
  { credits: number; totalCredits?: never } | { totalCredits: number; credits?: never };

export type ReversePurchaseCommand = {
  kind: 'reverse';
  /** The purchase is found by its providerRef (e.g. PaymentIntent id). */
  providerRef: string;
  reason: ReversalReason;
  /**
   * The cause at the provider (`dispute:du_…`): a reversal naming one is written at most once, and
   * never after that cause was undone (ReinstateReversalCommand may arrive first).
   */
  reversalId?: string;
} & ReversalAmount;

/**
 * The money of the reversal `reversalId` came back (a dispute won, a refund failed): give back what
 * it removed. Once per reversalId; before the reversal, it settles the id so the reversal never happens.
 */
export interface ReinstateReversalCommand {
  kind: 'reinstate';
  /** The purchase is found by its providerRef (e.g. PaymentIntent id). */
  providerRef: string;
  reversalId: string;
  reason: ReversalReason;
  /**
   * For a cause that was never a named reversal (a refund, reversed cumulatively): bring the
   * unnamed reversals of the purchase down to this total, giving back the difference (at most what
   * they removed) into the purchase's own block. Without it, the named reversal `reversalId` is undone.
   */
  toTotalCredits?: number;
}

/** Add a member to this account's pool, or change its limit (PRODUCT.md §3). */
export interface SetMemberCommand {
  kind: 'set-member';
  memberId: string;
  limit?: MemberLimit;
}

/** Remove a member from the pool; nothing is written when it is not one. */
export interface RemoveMemberCommand {
  kind: 'remove-member';
  memberId: string;
}

/** Move `count × creditsPerCode` credits into escrow for the gift codes of mint `mintId`. */
export interface FundGiftCodesCommand {
  kind: 'fund-gift-codes';
  mintId: string;
  creditsPerCode: number;
  count: number;
}

/** Redeem a gift code into this account: one new block per part, source `gift`. */
export interface RedeemGiftCodeCommand {
  kind: 'redeem-gift-code';
  codeHash: string;
  /** The code's parts, as minted (src/ledger/programs/gift-parts.ts). */
  parts: { credits: number; category: BlockCategory; expiresAt: string | null }[];
  /** One new block id per part, chosen by the caller. */
  blockIds: string[];
  fundedBy?: string;
}

/**
 * The welcome grant (PRODUCT.md §2), once ever per account: `reason` is the policy the application
 * chose by the account id (`signup`, or `lead` for `lead:` ids). A repeat writes nothing and
 * answers the first grant.
 */
export interface WelcomeCreditsCommand {
  kind: 'welcome';
  blockId: string;
  credits: number;
  reason: 'signup' | 'lead';
  expiresAt?: string;
  description?: string;
}

/** First step of a transfer, on the source: all or nothing, from available credits in drawdown order. */
export interface SendTransferCommand {
  kind: 'transfer';
  transferId: string;
  to: string;
  credits: number;
  reason: string;
}

/**
 * Second step, on the destination, sent by the transfers process with what the TransferSent drew.
 * Decided once per transferId: taken in, or declined (closed account, balance limit).
 */
export interface ReceiveTransferCommand {
  kind: 'receive';
  transferId: string;
  from: string;
  purpose: TransferPurpose;
  /** One new block per block drawn; `blockId` is the new block's id, chosen by the caller. */
  blocks: Array<MovedCredits & { fromBlockId: string }>;
  /** The TransferSent's note, if it had one. */
  note?: string;
}

/** A declined transfer goes back to the source's blocks, once. */
export interface ReturnTransferCommand {
  kind: 'return';
  transferId: string;
  reason: TransferDeclineReason;
}

/**
 * Merge a lead into `into` (PRODUCT.md §2): release its open holds, send everything left (blocks as
 * they are), close it. A repeat writes nothing and answers the first merge.
 */
export interface MergeAccountCommand {
  kind: 'merge';
  mergeId: string;
  into: string;
  /** The operator's reason, recorded as the `note` of the merge's TransferSent and AccountClosed. */
  note?: string;
}
/**
 * A subscription period was paid (an invoice): grant its credits once, rolling over the ending
 * period's unused credits. Ids are the caller's (derived from the invoice, so a repeat is the same).
 */
export interface PaySubscriptionPeriodCommand {
  kind: 'paySubscriptionPeriod';
  subscriptionId: string;
  invoiceId: string;
  /** The plan the invoice paid for. */
  plan: SubscriptionPlanTerms;
  periodStart: string;
  periodEnd: string;
  blockId: string;
  rolloverBlockId: string;
}

/** The subscription is now on `plan` for the period [periodStart, periodEnd). */
export interface ChangeSubscriptionPlanCommand {
  kind: 'changeSubscriptionPlan';
  subscriptionId: string;
  plan: SubscriptionPlanTerms;
  periodStart: string;
  periodEnd: string;
  /** The block of an upgrade's difference. */
  blockId: string;
}

export interface CancelSubscriptionCommand {
  kind: 'cancelSubscription';
  subscriptionId: string;
  endedAt: string;
}

/** Records how an automatic top-up ended (its credits, if any, are an ordinary purchase). */
export type RecordAutoTopUpCommand = {
  kind: 'recordAutoTopUp';
  paymentIntentId: string;
  packId: string;
} & (
  | { outcome: 'succeeded'; credits: number; purchaseId: string }
  | { outcome: 'failed'; reason: string; consecutiveFailures: number; disabled: boolean }
);

export type LedgerCommand =
  | PurchaseCreditsCommand
  | GrantCreditsCommand
  | SpendCreditsCommand
  | AdjustCreditsCommand
  | RefundSpendCommand
  | ReserveCreditsCommand
  | CaptureReservationCommand
  | ReleaseReservationCommand
  | ExpireDueCommand
  | ReversePurchaseCommand
  | ReinstateReversalCommand
  | SetMemberCommand
  | RemoveMemberCommand
  | FundGiftCodesCommand
  | RedeemGiftCodeCommand
  | WelcomeCreditsCommand
  | SendTransferCommand
  | ReceiveTransferCommand
  | ReturnTransferCommand
  | MergeAccountCommand
  | PaySubscriptionPeriodCommand
  | ChangeSubscriptionPlanCommand
  | CancelSubscriptionCommand
  | RecordAutoTopUpCommand;

/**
 * Everything a decision needs besides the command, the state and the spends recalled for refunds
 * (decide's last argument): when, on whose behalf, and what other accounts are known to hold.
 */
export interface CommandContext {
  now: Date;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  idempotencyKey?: string;
  /** A hash of the request; the same key with another hash is `idempotency_key_reused`. */
  requestHash?: string;
  /**
   * Purchase references (and redeemed gift codes) other accounts hold: claim (purchaseRefClaim,
   * giftCodeClaim) → that account's id. Learnt from the event store, which refused an append's
   * claim; the domain cannot see other accounts otherwise.
   */
  purchaseRefsHeldElsewhere?: ReadonlyMap<string, string>;
}
