/**
 * Why the ledger refused a command. The accounts feature maps `code` to status and problem type in
 * one place (src/accounts/http/rejection-problem.ts); the domain knows nothing of HTTP.
 */
export type Rejection =
  | { code: 'insufficient_credits'; available: number; required: number }
  | { code: 'not_found'; entity: 'spend' | 'reservation' | 'purchase' | 'transfer'; id: string }
  /** The account was merged into another and accepts no more client writes (PRODUCT.md §2). */
  | { code: 'account_closed'; mergedInto: string }
  | { code: 'reservation_expired'; reservationId: string }
  | { code: 'reservation_closed'; reservationId: string; status: 'captured' | 'released' }
  | { code: 'refund_exceeds_spend'; spendId: string; refundable: number; requested: number }
  | { code: 'spend_fully_refunded'; spendId: string }
  /**
   * The reference is already recorded for another purchase: on this account with other figures
   * (`purchaseId`), or on another account (`heldByAccountId`, for our own records and logs only:
   * never shown to the caller, who has no business knowing other accounts).
   */
  | {
      code: 'purchase_conflict';
      provider: string;
      providerRef: string;
      purchaseId?: string;
      heldByAccountId?: string;
    }
  | { code: 'capture_exceeds_hold'; reservationId: string; held: number; requested: number }
  | { code: 'balance_limit'; limit: number }
  | { code: 'invalid_expiry'; expiresAt: string }
  | { code: 'idempotency_key_reused'; idempotencyKey: string }
  /** The operation's minimumAvailable is more than the account has available (PRODUCT.md §1). */
  | { code: 'minimum_available'; available: number; minimumAvailable: number }
  | { code: 'quote_expired'; quoteId: string; expiresAt: string }
  | { code: 'quote_used'; quoteId: string }
  /** A spend named a member the pool does not have (PRODUCT.md §3). */
  | { code: 'not_a_member'; memberId: string }
  /** The spend would take the member over its limit for the current period. */
  | {
      code: 'member_limit_exceeded';
      memberId: string;
      limit: number;
      used: number;
      period: 'day' | 'month';
      periodStart: string;
      required: number;
    }
  | { code: 'too_many_members'; limit: number }
  /** The gift code was redeemed already, into this account or another. */
  | { code: 'gift_code_redeemed'; codeHash: string };

export type RejectionCode = Rejection['code'];
