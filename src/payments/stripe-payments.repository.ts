import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '../database/database';

/** What we know of one PaymentIntent (table stripe_payments). */
export interface PaymentRow {
  paymentIntentId: string;
  accountId: string | null;
  credits: number | null;
  amountMinor: number | null;
  credited: boolean;
  refundedMinor: number;
  chargeAmountMinor: number | null;
  disputed: boolean;
  reversalEventId: string | null;
  /** The PaymentIntent's dispute: its ledger reversal is named `dispute:<disputeId>`. */
  disputeId: string | null;
  disputeWon: boolean;
  /** Refunds that failed or were canceled: refund id → amount in minor units. */
  failedRefundsMinor: Record<string, number>;
}

export interface CreditedPurchase {
  accountId: string;
  /** Null for a PaymentIntent charged without a Checkout Session (an auto top-up). */
  checkoutSessionId: string | null;
  packId: string;
  credits: number;
  amountMinor: number;
  currency: string;
}

const RETURNING = `RETURNING payment_intent_id, account_id, credits, amount_minor, credited, refunded_minor, charge_amount_minor, disputed, reversal_event_id, dispute_id, dispute_won, failed_refunds`;

/**
 * PaymentIntent → account, purchased credits, and the money that went back. Each write is one
 * statement on one row, so PostgreSQL's row lock orders a purchase and a refund (or dispute) of the
 * same PaymentIntent: whichever writes second sees the other, so a reversal is never missed even
 * when the refund is processed before (or while) the purchase is credited.
 */
@Injectable()
export class StripePaymentsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** After the ledger holds the purchase. A second purchase event for the PaymentIntent keeps the first's facts. */
  async markCredited(
    paymentIntentId: string,
    purchase: CreditedPurchase,
    now: Date,
  ): Promise<PaymentRow> {
    return this.write(
      `INSERT INTO stripe_payments (payment_intent_id, account_id, checkout_session_id, pack_id, credits, amount_minor, currency, credited, credited_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $8)
       ON CONFLICT (payment_intent_id) DO UPDATE SET
         account_id = CASE WHEN stripe_payments.credited THEN stripe_payments.account_id ELSE EXCLUDED.account_id END,
         checkout_session_id = CASE WHEN stripe_payments.credited THEN stripe_payments.checkout_session_id ELSE EXCLUDED.checkout_session_id END,
         pack_id = CASE WHEN stripe_payments.credited THEN stripe_payments.pack_id ELSE EXCLUDED.pack_id END,
         credits = CASE WHEN stripe_payments.credited THEN stripe_payments.credits ELSE EXCLUDED.credits END,
         amount_minor = CASE WHEN stripe_payments.credited THEN stripe_payments.amount_minor ELSE EXCLUDED.amount_minor END,
         currency = CASE WHEN stripe_payments.credited THEN stripe_payments.currency ELSE EXCLUDED.currency END,
         credited_at = COALESCE(stripe_payments.credited_at, EXCLUDED.credited_at),
         credited = true,
         updated_at = EXCLUDED.updated_at
       ${RETURNING}`,
      [
        paymentIntentId,
        purchase.accountId,
        purchase.checkoutSessionId,
        purchase.packId,
        purchase.credits,
        purchase.amountMinor,
        purchase.currency,
        now,
      ],
    );
  }

  /** charge.refunded: amount_refunded is cumulative, so the largest value seen is the truth. */
  async recordRefund(
    paymentIntentId: string,
    refund: { amountRefunded: number; chargeAmount: number; eventId: string },
    now: Date,
  ): Promise<PaymentRow> {
    return this.write(
      `INSERT INTO stripe_payments (payment_intent_id, refunded_minor, charge_amount_minor, reversal_event_id, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (payment_intent_id) DO UPDATE SET
         refunded_minor = GREATEST(stripe_payments.refunded_minor, EXCLUDED.refunded_minor),
         charge_amount_minor = EXCLUDED.charge_amount_minor,
         reversal_event_id = EXCLUDED.reversal_event_id,
         updated_at = EXCLUDED.updated_at
       ${RETURNING}`,
      [paymentIntentId, refund.amountRefunded, refund.chargeAmount, refund.eventId, now],
    );
  }

  /** charge.dispute.created / funds_withdrawn: the whole purchase is reversed, under the dispute's name. */
  async recordDispute(
    paymentIntentId: string,
    dispute: { disputeId: string; eventId: string },
    now: Date,
  ): Promise<PaymentRow> {
    return this.write(
      `INSERT INTO stripe_payments (payment_intent_id, disputed, dispute_id, reversal_event_id, updated_at)
       VALUES ($1, true, $2, $3, $4)
       ON CONFLICT (payment_intent_id) DO UPDATE SET
         disputed = true, dispute_id = COALESCE(stripe_payments.dispute_id, EXCLUDED.dispute_id),
         reversal_event_id = EXCLUDED.reversal_event_id, updated_at = EXCLUDED.updated_at
       ${RETURNING}`,
      [paymentIntentId, dispute.disputeId, dispute.eventId, now],
    );
  }

  /** charge.dispute.closed (won) / funds_reinstated: in any order with the dispute's creation. */
  async recordDisputeWon(
    paymentIntentId: string,
    disputeId: string,
    now: Date,
  ): Promise<PaymentRow> {
    return this.write(
      `INSERT INTO stripe_payments (payment_intent_id, disputed, dispute_id, dispute_won, updated_at)
       VALUES ($1, true, $2, true, $3)
       ON CONFLICT (payment_intent_id) DO UPDATE SET
         disputed = true, dispute_id = COALESCE(stripe_payments.dispute_id, EXCLUDED.dispute_id),
         dispute_won = true, updated_at = EXCLUDED.updated_at
       ${RETURNING}`,
      [paymentIntentId, disputeId, now],
    );
  }

  /** charge.refund.updated to failed/canceled: keyed by refund id, so a repeat changes nothing. */
  async recordRefundFailed(
    paymentIntentId: string,
    refund: { refundId: string; amountMinor: number },
    now: Date,
  ): Promise<PaymentRow> {
    return this.write(
      `INSERT INTO stripe_payments (payment_intent_id, failed_refunds, updated_at)
       VALUES ($1, jsonb_build_object($2::text, $3::bigint), $4)
       ON CONFLICT (payment_intent_id) DO UPDATE SET
         failed_refunds = stripe_payments.failed_refunds || EXCLUDED.failed_refunds, updated_at = EXCLUDED.updated_at
       ${RETURNING}`,
      [paymentIntentId, refund.refundId, refund.amountMinor, now],
    );
  }

  async find(paymentIntentId: string): Promise<PaymentRow | null> {
    const { rows } = await this.database.pool.query<PaymentRecord>(
      `SELECT payment_intent_id, account_id, credits, amount_minor, credited, refunded_minor, charge_amount_minor, disputed, reversal_event_id,
              dispute_id, dispute_won, failed_refunds
         FROM stripe_payments WHERE payment_intent_id = $1`,
      [paymentIntentId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  private async write(sql: string, values: unknown[]): Promise<PaymentRow> {
    const { rows } = await this.database.pool.query<PaymentRecord>(sql, values);
    return toRow(rows[0]);
  }
}

/** A stripe_payments row as pg returns it (bigint columns parsed to numbers by the pool). */
interface PaymentRecord {
  payment_intent_id: string;
  account_id: string | null;
  credits: number | null;
  amount_minor: number | null;
  credited: boolean;
  refunded_minor: number;
  charge_amount_minor: number | null;
  disputed: boolean;
  reversal_event_id: string | null;
  dispute_id: string | null;
  dispute_won: boolean | null;
  /** refund id → amount in minor units, as jsonb (numbers or numeric strings). */
  failed_refunds: Record<string, number | string> | null;
}

function toRow(row: PaymentRecord): PaymentRow {
  return {
    paymentIntentId: row.payment_intent_id,
    accountId: row.account_id,
    credits: row.credits,
    amountMinor: row.amount_minor,
    credited: row.credited,
    refundedMinor: row.refunded_minor,
    chargeAmountMinor: row.charge_amount_minor,
    disputed: row.disputed,
    reversalEventId: row.reversal_event_id,
    disputeId: row.dispute_id ?? null,
    disputeWon: row.dispute_won ?? false,
    failedRefundsMinor: Object.fromEntries(
      Object.entries(row.failed_refunds ?? {}).map(([id, minor]) => [id, Number(minor)]),
    ),
  };
}

/**
 * Credits that should have left the account for this purchase so far: all of them after a
 * dispute, otherwise the refunded share of the charge, rounded down (a partial refund never takes
 * more credits than the money it returned bought). Null while there is no credited purchase.
 */
export function reversalTarget(
  row: PaymentRow,
): { totalCredits: number; reason: 'refund' | 'dispute' } | null {
  if (!row.credited || row.accountId === null || row.credits === null) return null;
  // A dispute recorded before disputes were named (no id) keeps its cumulative meaning: all of it.
  if (row.disputed && row.disputeId === null)
    return { totalCredits: row.credits, reason: 'dispute' };
  const paid = row.chargeAmountMinor ?? row.amountMinor;
  const refundedMinor = netRefundedMinor(row);
  if (refundedMinor <= 0 || !paid || paid <= 0) return { totalCredits: 0, reason: 'refund' };
  const refunded = BigInt(Math.min(refundedMinor, paid));
  return {
    totalCredits: Number((refunded * BigInt(row.credits)) / BigInt(paid)),
    reason: 'refund',
  };
}

/**
 * The money refunded for good: the largest cumulative amount_refunded seen less the refunds that
 * failed or were canceled. Assumes (docs/stripe.md "Refunds that do not happen") that a failed refund
 * still counts in the charge's amount_refunded of the charge.refunded events we receive.
 */
export function netRefundedMinor(
  row: Pick<PaymentRow, 'refundedMinor' | 'failedRefundsMinor'>,
): number {
  const failed = Object.values(row.failedRefundsMinor).reduce((sum, minor) => sum + minor, 0);
  return Math.max(0, row.refundedMinor - failed);
}
