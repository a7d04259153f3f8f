import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DATABASE, Database } from '../../database/database';

export interface AutoTopUpSettings {
  accountId: string;
  enabled: boolean;
  threshold: number;
  packId: string;
  consecutiveFailures: number;
}

export interface SavedPaymentMethod {
  customerId: string;
  paymentMethodId: string;
}

/** An attempt this process may make: the row was claimed for it (at most one in flight per account). */
export interface ClaimedAttempt extends AutoTopUpSettings {
  /** The attempt's number: its Stripe idempotency key is made of it, so a retry never charges twice. */
  attemptSeq: number;
}

/** What happened to an account's in-flight attempt when its PaymentIntent settled. */
export interface SettledAttempt {
  /** False: the PaymentIntent was not (or no longer) this account's attempt in flight. */
  wasInFlight: boolean;
  consecutiveFailures: number;
  enabled: boolean;
}

interface SettingsRow {
  account_id: string;
  enabled: boolean;
  threshold: string;
  pack_id: string;
  consecutive_failures: number;
  attempt_seq: number;
}

const toSettings = (row: SettingsRow): AutoTopUpSettings => ({
  accountId: row.account_id,
  enabled: row.enabled,
  threshold: Number(row.threshold),
  packId: row.pack_id,
  consecutiveFailures: row.consecutive_failures,
});

/**
 * auto_top_up_settings and stripe_payment_methods (migrations/1732255000000_subscriptions.sql).
 * Every write is one statement on one account's row: the row is the lock that keeps one attempt in
 * flight per account across instances.
 */
@Injectable()
export class AutoTopUpRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async paymentMethod(accountId: string): Promise<SavedPaymentMethod | null> {
    const { rows } = await this.database.pool.query<{
      customer_id: string;
      payment_method_id: string;
    }>('SELECT customer_id, payment_method_id FROM stripe_payment_methods WHERE account_id = $1', [
      accountId,
    ]);
    const row = rows[0];
    return row ? { customerId: row.customer_id, paymentMethodId: row.payment_method_id } : null;
  }

  async savePaymentMethod(accountId: string, method: SavedPaymentMethod, now: Date): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO stripe_payment_methods (account_id, customer_id, payment_method_id, saved_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
         payment_method_id = EXCLUDED.payment_method_id, saved_at = EXCLUDED.saved_at`,
      [accountId, method.customerId, method.paymentMethodId, now],
    );
  }

  /** Saves the settings; turning it on again starts the failure count afresh. */
  async save(
    settings: Omit<AutoTopUpSettings, 'consecutiveFailures'>,
    now: Date,
  ): Promise<AutoTopUpSettings> {
    const { rows } = await this.database.pool.query<SettingsRow>(
      `INSERT INTO auto_top_up_settings (account_id, enabled, threshold, pack_id, check_requested, updated_at)
       VALUES ($1, $2, $3, $4, $2, $5)
       ON CONFLICT (account_id) DO UPDATE SET enabled = EXCLUDED.enabled, threshold = EXCLUDED.threshold,
         pack_id = EXCLUDED.pack_id, check_requested = EXCLUDED.enabled,
         consecutive_failures = CASE WHEN EXCLUDED.enabled THEN 0 ELSE auto_top_up_settings.consecutive_failures END,
         updated_at = EXCLUDED.updated_at
       RETURNING account_id, enabled, threshold, pack_id, consecutive_failures, attempt_seq`,
      [settings.accountId, settings.enabled, settings.threshold, settings.packId, now],
    );
    return toSettings(rows[0]);
  }

  /** The reactor: these accounts changed; those with auto top-up on get a look from the worker. */
  async requestChecks(client: PoolClient, accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    await client.query(
      `UPDATE auto_top_up_settings SET check_requested = true
        WHERE account_id = ANY($1::text[]) AND enabled AND NOT check_requested`,
      [accountIds],
    );
  }

  /**
   * Accounts to look at (at most `limit`): asked by the reactor, or with an attempt in flight for
   * longer than the timeout (a process died mid-call: the worker asks Stripe again, same key).
   * Their request is taken (cleared) here.
   */
  async takeChecks(limit: number, staleBefore: Date): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ account_id: string }>(
      `UPDATE auto_top_up_settings SET check_requested = false
        WHERE account_id IN (
          SELECT account_id FROM auto_top_up_settings
           WHERE enabled AND (check_requested OR (attempt_id IS NOT NULL AND attempt_started_at < $2))
           ORDER BY account_id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING account_id`,
      [limit, staleBefore],
    );
    return rows.map((row) => row.account_id);
  }

  /**
   * Claims the account's one attempt: only when on and none is in flight (or the one in flight is
   * stale, which is then retried under its own number). Null: nothing to do.
   */
  async claimAttempt(
    accountId: string,
    now: Date,
    staleBefore: Date,
  ): Promise<ClaimedAttempt | null> {
    const { rows } = await this.database.pool.query<SettingsRow>(
      `UPDATE auto_top_up_settings
          SET attempt_seq = CASE WHEN attempt_id IS NULL THEN attempt_seq + 1 ELSE attempt_seq END,
              attempt_id = COALESCE(attempt_id, 'pending'), attempt_started_at = $2
        WHERE account_id = $1 AND enabled AND (attempt_id IS NULL OR attempt_started_at < $3)
        RETURNING account_id, enabled, threshold, pack_id, consecutive_failures, attempt_seq`,
      [accountId, now, staleBefore],
    );
    const row = rows[0];
    return row ? { ...toSettings(row), attemptSeq: row.attempt_seq } : null;
  }

  /** The claimed attempt is the PaymentIntent Stripe answered. */
  async attemptStarted(
    accountId: string,
    attemptSeq: number,
    paymentIntentId: string,
  ): Promise<void> {
    await this.database.pool.query(
      `UPDATE auto_top_up_settings SET attempt_id = $3
        WHERE account_id = $1 AND attempt_seq = $2 AND attempt_id = 'pending'`,
      [accountId, attemptSeq, paymentIntentId],
    );
  }

  /** Nothing was charged (the balance was fine after all, or Stripe could not be asked): released. */
  async releaseAttempt(accountId: string, attemptSeq: number, retry: boolean): Promise<void> {
    await this.database.pool.query(
      `UPDATE auto_top_up_settings
          SET attempt_id = NULL, attempt_started_at = NULL, check_requested = check_requested OR $3,
              attempt_seq = CASE WHEN $3 THEN attempt_seq - 1 ELSE attempt_seq END
        WHERE account_id = $1 AND attempt_seq = $2 AND attempt_id = 'pending'`,
      [accountId, attemptSeq, retry],
    );
  }

  /**
   * The attempt's PaymentIntent settled. Success: failures back to 0. Failure: one more in a row;
   * at `maxFailures` auto top-up is turned off. Counted once per PaymentIntent: only while it is the
   * attempt in flight (a redelivered or late event of a settled attempt changes nothing) — also
   * when the webhook beats the worker's own record of the PaymentIntent (`attemptSeq`, from the
   * PaymentIntent's metadata, names the pending attempt then).
   */
  async settle(
    accountId: string,
    payment: { paymentIntentId: string; attemptSeq: number | null },
    succeeded: boolean,
    maxFailures: number,
  ): Promise<SettledAttempt> {
    const { rows } = await this.database.pool.query<{
      consecutive_failures: number;
      enabled: boolean;
    }>(
      `UPDATE auto_top_up_settings
          SET attempt_id = NULL, attempt_started_at = NULL,
              consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures + 1 END,
              enabled = CASE WHEN $3 THEN enabled ELSE enabled AND consecutive_failures + 1 < $4 END,
              check_requested = $3
        WHERE account_id = $1
          AND (attempt_id = $2 OR (attempt_id = 'pending' AND attempt_seq = $5))
        RETURNING consecutive_failures, enabled`,
      [accountId, payment.paymentIntentId, succeeded, maxFailures, payment.attemptSeq ?? -1],
    );
    const row = rows[0];
    if (row)
      return {
        wasInFlight: true,
        consecutiveFailures: row.consecutive_failures,
        enabled: row.enabled,
      };
    const current = await this.database.pool.query<{
      consecutive_failures: number;
      enabled: boolean;
    }>('SELECT consecutive_failures, enabled FROM auto_top_up_settings WHERE account_id = $1', [
      accountId,
    ]);
    return {
      wasInFlight: false,
      consecutiveFailures: current.rows[0]?.consecutive_failures ?? 0,
      enabled: current.rows[0]?.enabled ?? false,
    };
  }

  async find(accountId: string): Promise<AutoTopUpSettings | null> {
    const { rows } = await this.database.pool.query<SettingsRow>(
      `SELECT account_id, enabled, threshold, pack_id, consecutive_failures, attempt_seq
         FROM auto_top_up_settings WHERE account_id = $1`,
      [accountId],
    );
    return rows[0] ? toSettings(rows[0]) : null;
  }
}
