import type {
  BlockAmount,
  BlockCategory,
  BlockSource,
  MemberLimit,
  Money,
  OperationRecord,
  SubscriptionPlanTerms,
  TransferPurpose,
} from './events';

/**
 * Version of the LedgerState shape. Bump it whenever the shape or the meaning of a field changes:
 * snapshots written by older code are then ignored and states fold from the streams again.
 */
export const LEDGER_STATE_VERSION = 12;

export interface CreditBlock {
  blockId: string;
  category: BlockCategory;
  source: BlockSource;
  /** Credits the block was created with. */
  credits: number;
  /** Credits still in the block (not spent, held, expired or reversed). */
  remaining: number;
  grantedAt: string;
  expiresAt: string | null;
  /** True once a CreditsExpired was recorded for it; credits returned later expire at once. */
  expired: boolean;
  costBasis?: Money;
  purchaseId?: string;
}

export interface OpenReservation {
  reservationId: string;
  credits: number;
  expiresAt: string;
  drawdown: BlockAmount[];
  description?: string;
  /** A priced hold's operation: its capture by quantity is priced at this card version. */
  operation?: OperationRecord;
}

export type ClosedReservationStatus = 'captured' | 'released' | 'expired';

/** What the state remembers of a spend (keyed by spendId in `LedgerState.spends`). */
export interface SpendRecord {
  credits: number;
  /** What can still be refunded, per block, in the order drawn. */
  refundable: BlockAmount[];
  /** Revision of the last event that spent or refunded it: the most recent are kept. */
  touchedRevision: number;
}

export interface PurchaseRecord {
  purchaseId: string;
  blockId: string;
  credits: number;
  provider: string;
  providerRef: string;
  amountPaid: Money;
  /** Revision of its CreditsPurchased event. */
  revision: number;
  /** The account right after it: with `revision`, what a repeat of the purchase answers. */
  balance: number;
  available: number;
  reserved: number;
  /** Credits already reversed (removed + shortfall) by PurchaseReversed events, less those undone. */
  reversed: number;
  /**
   * The part of `reversed` by reversals that name no cause (cumulative refunds): a failed refund
   * brings it down (ReinstateReversalCommand.toTotalCredits) as the named ones are undone one by one.
   */
  reversedUnnamed: number;
  /** What those unnamed reversals removed, per block, in order, less what came back: the most that may return. */
  unnamedRemoved: BlockAmount[];
}

/** A reversal that names its cause (PurchaseReversed.reversalId), kept forever so it happens once. */
export interface ReversalRecord {
  purchaseId: string;
  /** Credits the reversal counted (removed + shortfall); 0 when it was undone before it happened. */
  credits: number;
  removed: BlockAmount[];
  shortfall: number;
  /** True once a ReversalUndone named it: it is never applied or undone again. */
  undone: boolean;
}

/** The latest paid period of the account's subscription. */
export interface SubscriptionPeriod {
  periodStart: string;
  periodEnd: string;
  /** The plan whose credits the period has (raised by upgrades within it). */
  plan: SubscriptionPlanTerms;
  /** Credits granted for the period (the plan's, upgrades included). */
  grantedCredits: number;
  /** Its CreditsGranted blocks (reason `subscription`). */
  blockIds: string[];
  /** Credits of those blocks lost to expiry (CreditsExpired of them). */
  expiredCredits: number;
  /**
   * Credits that came back to those blocks after their end (a refund, a released hold), lost at
   * once: they were not unused at the end, so expiredCredits − returnedAfterEnd is what was.
   */
  returnedAfterEnd: number;
}

/** The account's Stripe subscription, as the ledger needs it for grants and rollover. */
export interface SubscriptionRecord {
  subscriptionId: string;
  period: SubscriptionPeriod | null;
  /** A plan seen (an update) for a period not paid yet: that period's invoice grants at least it. */
  pendingPlan: { periodStart: string; plan: SubscriptionPlanTerms } | null;
  /** When it ended (customer.subscription.deleted); no period starting then or later is granted. */
  endedAt: string | null;
}

/** What the ledger remembers of a command sent with an Idempotency-Key. */
export interface IdempotencyRecord {
  requestHash: string;
  /** Revisions of the first and last event the command wrote. */
  firstRevision: number;
  lastRevision: number;
  /** The account right after the command. */
  balance: number;
  available: number;
  reserved: number;
  occurredAt: string;
}

/** What a member spent in one UTC calendar period (`periodStart`, the period's first instant). */
export interface UsageWindow {
  periodStart: string;
  used: number;
}

/**
 * A member of an organization pool (PRODUCT.md §3). Usage is kept for the current day and the
 * current month only (two counters, whatever the limit's period, so a limit may change period
 * without losing count): bounded per member, however long the stream.
 */
export interface MemberRecord {
  limit: MemberLimit | null;
  day: UsageWindow;
  month: UsageWindow;
}

/**
 * A command done once ever (the welcome grant, the merge): where its events are and the account
 * right after them, which is what a repeat answers (decide's `noop` with reason `repeated`).
 */
export interface AnsweredCommand {
  firstRevision: number;
  lastRevision: number;
  balance: number;
  available: number;
  reserved: number;
}

/** A transfer this account sent: what it drew, so that a declined one goes back where it came from. */
export interface TransferOutRecord {
  to: string;
  credits: number;
  purpose: TransferPurpose;
  drawdown: BlockAmount[];
  returned: boolean;
}

export interface LedgerOptions {
  /** How long idempotency keys are remembered (LEDGER.md: at least 7 days). */
  idempotencyRetentionMs: number;
  /**
   * How many spends an account's state remembers for refunds (the most recently touched ones).
   * Older spends stay refundable: the write path recalls them from the stream for the batch
   * that refunds them (compact-state/recalled-spends.ts).
   */
  recentSpendsKept: number;
}

/**
 * The part of an account's state most accounts never write (LedgerState.extras). Written only
 * through putInState, removeFromState and ownExtras, which give a state its own copy first.
 */
export interface AccountExtras {
  reservations: Record<string, OpenReservation>;
  closedReservations: Record<string, ClosedReservationStatus>;
  purchases: Record<string, PurchaseRecord>;
  /**
   * providerRef → purchaseId; forever, so a replayed purchase never credits twice. Keyed by the
   * reference alone: an account cannot reuse a reference of one provider with another (that is a
   * purchase_conflict), which keeps a reversal's lookup by reference unambiguous.
   */
  purchasesByProviderRef: Record<string, string>;
  idempotency: Record<string, IdempotencyRecord>;
  /** Reversals by reversalId (only those that name one), undone or not. */
  reversals: Record<string, ReversalRecord>;
  /**
   * Quotes this account's spends and holds paid: quoteId → the quote's expiresAt. Kept until the
   * quote expires (after that a second use is refused as expired anyway), so it stays as small as
   * the quotes used within one quote lifetime (used-quotes.ts).
   */
  usedQuotes: Record<string, string>;
  /** Pool members by memberId (MemberSet, MemberRemoved); usage from their spends. */
  members: Record<string, MemberRecord>;
  /** SHA-256 of the gift codes redeemed into this account (a set), so one is never taken twice. */
  giftCodesRedeemed: Record<string, true>;
  /** Transfers sent, by transferId (kept: one small entry per transfer; see docs/programs.md). */
  transfersOut: Record<string, TransferOutRecord>;
  /**
   * Transfers that reached this account, by transferId: taken in or declined, each decided once;
   * `revision` is the event that decided it, what a redelivery answers.
   */
  transfersIn: Record<string, { status: 'received' | 'declined'; revision: number }>;
  /** The welcome (signup or lead) grant, once ever; null before it. */
  welcome: AnsweredCommand | null;
  /** Set by AccountClosed (a lead merged): client writes are refused from then on. */
  closed: (AnsweredCommand & { mergeId: string; into: string }) | null;
  /** The account's subscription (src/subscriptions), null when it never had one. */
  subscription: SubscriptionRecord | null;
}

export interface LedgerState {
  /** Revision of the last event folded in; -1 for an account with no stream. */
  revision: number;
  blocks: Record<string, CreditBlock>;
  /**
   * Spends by spendId: the `options.recentSpendsKept` most recently touched (up to a quarter more
   * between prunings). Bounded, so a long account's state and snapshot stay small
   * (compact-state/recent-spends.ts).
   */
  spends: Record<string, SpendRecord>;
  /** Number of entries in `spends` (counting keys would cost a scan). */
  rememberedSpends: number;
  /** Spends dropped from `spends` so far. Above 0, a spend not in `spends` may still be in the stream. */
  forgottenSpends: number;
  /**
   * Entries across all the keyed maps (blocks, spends, idempotency keys, ...), kept by putInState
   * and removeFromState. A state's size grows with them: the account cache weighs states by it
   * (src/accounts/write-path/state-weight.ts), where counting keys would cost a scan per command.
   */
  keyedRecords: number;
  /**
   * Ids of the blocks whose `remaining` is above 0, each once, in no particular order. Deciding
   * only looks at these, so a command costs the same on an account with years of spent-out blocks.
   * An array replaced on change, not a map: it changes only when a block starts or stops holding
   * credits, is read by every view, and an account holds credits in a few blocks (a map of one id
   * cost ≈ 200 bytes per cached state, and listing its keys a sort on every view).
   */
  blockIdsWithCredits: readonly string[];
  /**
   * Sum of `remaining` over all blocks. Blocks recorded as expired hold nothing, except for the
   * instant between credits coming back to one and the CreditsExpired right after them in the same
   * append; counting those keeps balance = credits in − credits out after every single event.
   * May include blocks now past due that no CreditsExpired has removed yet (see viewAt).
   */
  unexpiredRemaining: number;
  reserved: number;
  /**
   * What most accounts never have (holds, purchases, idempotency keys, quotes, pool members,
   * transfers, gift codes, the welcome grant, a merge, a subscription): one object, shared by
   * every account without any of them until its first (compact-state/shared-empty-records.ts).
   * As fields of the state itself they cost ≈ 110 bytes in every cached state.
   */
  extras: AccountExtras;
  options: LedgerOptions;
}

/** Balances as seen at an instant: blocks past their expiresAt count as gone. */
export interface BalanceView {
  balance: number;
  available: number;
  reserved: number;
  blocks: CreditBlock[];
}

export const DEFAULT_LEDGER_OPTIONS: LedgerOptions = Object.freeze({
  idempotencyRetentionMs: 7 * 24 * 60 * 60 * 1000,
  recentSpendsKept: 1_000,
});
