import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '../database/database';
import { escapeUnstorableJson, escapeUnstorableText } from '../shared/storable-text';

/** What became of an event. 'processing' and 'failed' are not final: the event is processed again. */
export type StripeEventOutcome =
  | 'processing'
  | 'failed'
  | 'credited'
  | 'duplicate'
  | 'awaiting_payment'
  | 'payment_failed'
  | 'anomaly'
  | 'reversed'
  | 'reversal_pending'
  | 'ignored'
  /** A won dispute or a failed refund gave back what its reversal took (or settled it before it happened). */
  | 'reinstated'
  /** A Checkout Session expired unpaid (recorded for support, never credits). */
  | 'session_expired'
  /** Subscriptions: a period's (or an upgrade's) credits were granted. */
  | 'granted'
  /** Subscriptions and auto top-up: a fact recorded with nothing to grant. */
  | 'recorded';

export interface ReceivedEvent {
  eventId: string;
  type: string;
  livemode: boolean;
  apiVersion: string | null;
  createdAt: Date;
}

export interface Receipt {
  /** The outcome already recorded for this event id (for a first delivery: 'processing'). */
  outcome: StripeEventOutcome;
  attempts: number;
}

export interface Settlement {
  outcome: Exclude<StripeEventOutcome, 'processing' | 'failed'>;
  accountId?: string | null;
  paymentIntentId?: string | null;
  detail?: Record<string, unknown>;
}

export interface StripeEventRow {
  eventId: string;
  type: string;
  outcome: StripeEventOutcome;
  accountId: string | null;
  paymentIntentId: string | null;
  detail: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  firstReceivedAt: Date;
  processedAt: Date | null;
}

export function isFinal(outcome: StripeEventOutcome): boolean {
  return outcome !== 'processing' && outcome !== 'failed';
}

/**
 * The audit trail of every verified webhook event (table stripe_events), and the first line of
 * deduplication by event id. Every write is a single idempotent statement, so deliveries of one
 * event racing each other cannot corrupt the row; correctness of the credits never depends on this
 * table (the ledger deduplicates purchases by PaymentIntent and reversals are cumulative).
 *
 * Every text it writes has NUL and unpaired surrogates escaped (`\u0000`; src/shared/storable-text.ts),
 * the event id included, in every method alike: a signed event holding them is still recorded (as
 * an anomaly, see StripeEventProcessor) instead of failing each delivery with a 500. (An id holding
 * a literal backslash-u sequence would share that row: Stripe's ids are letters, digits and `_`.)
 */
@Injectable()
export class StripeEventLog {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Records a delivery: the row is created at the first one, later ones count an attempt. */
  async receive(event: ReceivedEvent, now: Date): Promise<Receipt> {
    const { rows } = await this.database.pool.query<{
      outcome: StripeEventOutcome;
      attempts: number;
    }>(
      `INSERT INTO stripe_events (event_id, type, livemode, api_version, stripe_created_at, outcome, first_received_at, last_received_at)
       VALUES ($1, $2, $3, $4, $5, 'processing', $6, $6)
       ON CONFLICT (event_id) DO UPDATE SET attempts = stripe_events.attempts + 1, last_received_at = EXCLUDED.last_received_at
       RETURNING outcome, attempts`,
      [
        storable(event.eventId),
        storable(event.type),
        event.livemode,
        event.apiVersion === null ? null : storable(event.apiVersion),
        event.createdAt,
        now,
      ],
    );
    return rows[0];
  }

  /**
   * Records the outcome of an attempt. A final outcome is not overwritten by a later attempt's,
   * except that an outcome that wrote to the ledger ('credited', 'reversed', 'reinstated') wins over
   * 'duplicate': when several deliveries of one event run at once, the writer may finish last.
   */
  async settle(eventId: string, settlement: Settlement, now: Date): Promise<void> {
    await this.database.pool.query(
      `UPDATE stripe_events
          SET outcome = $2, account_id = COALESCE($3, account_id), payment_intent_id = COALESCE($4, payment_intent_id),
              detail = $5, last_error = NULL, processed_at = $6
        WHERE event_id = $1 AND (outcome IN ('processing', 'failed') OR (outcome = 'duplicate' AND $2 IN ('credited', 'reversed', 'reinstated')))`,
      [
        storable(eventId),
        settlement.outcome,
        nullableStorable(settlement.accountId),
        nullableStorable(settlement.paymentIntentId),
        JSON.stringify(escapeUnstorableJson(settlement.detail ?? {})),
        now,
      ],
    );
  }

  /** The attempt failed (Stripe will retry); an outcome another attempt already settled is kept. */
  async fail(eventId: string, error: string, now: Date): Promise<void> {
    await this.database.pool.query(
      `UPDATE stripe_events SET outcome = 'failed', last_error = $2, processed_at = $3
        WHERE event_id = $1 AND outcome IN ('processing', 'failed')`,
      [storable(eventId), storable(error.slice(0, 1000)), now],
    );
  }

  async find(eventId: string): Promise<StripeEventRow | null> {
    const { rows } = await this.database.pool.query<StripeEventRecord>(
      `SELECT event_id, type, outcome, account_id, payment_intent_id, detail, attempts, last_error, first_received_at, processed_at
         FROM stripe_events WHERE event_id = $1`,
      [storable(eventId)],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      eventId: row.event_id,
      type: row.type,
      outcome: row.outcome,
      accountId: row.account_id,
      paymentIntentId: row.payment_intent_id,
      detail: row.detail,
      attempts: row.attempts,
      lastError: row.last_error,
      firstReceivedAt: row.first_received_at,
      processedAt: row.processed_at,
    };
  }
}

const storable = escapeUnstorableText;

function nullableStorable(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : storable(text);
}

/** A stripe_events row as pg returns it. */
interface StripeEventRecord {
  event_id: string;
  type: string;
  outcome: StripeEventOutcome;
  account_id: string | null;
  payment_intent_id: string | null;
  detail: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  first_received_at: Date;
  processed_at: Date | null;
}
