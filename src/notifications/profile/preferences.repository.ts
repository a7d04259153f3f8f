import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import type { StoredAlertSettings } from '../alerts/alert-settings';

export interface Profile {
  email: string | null;
  name: string | null;
}

/**
 * Per-account notification preferences: alert settings and the contact profile. Plain rows, not
 * events: they configure notifications and change no balance. The reactor reads them in its
 * transaction, so a change applies to the events it folds after.
 */
@Injectable()
export class PreferencesRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async saveAlertSettings(
    accountId: string,
    settings: StoredAlertSettings,
    now: Date,
    defaultExpiringDays: number,
  ): Promise<void> {
    const client = await this.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO alert_settings (account_id, low_balance, percent_of_last_top_up, expiring_days, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id) DO UPDATE SET low_balance = EXCLUDED.low_balance,
           percent_of_last_top_up = EXCLUDED.percent_of_last_top_up,
           expiring_days = EXCLUDED.expiring_days, updated_at = EXCLUDED.updated_at`,
        [accountId, settings.lowBalance, settings.percentOfLastTopUp, settings.expiringDays, now],
      );
      // Notices not yet sent move with the new number of days.
      await client.query(
        `UPDATE expiry_notices SET notice_at = expires_at - make_interval(days => $2)
         WHERE account_id = $1 AND status = 'pending'`,
        [accountId, settings.expiringDays ?? defaultExpiringDays],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Every account's own absolute thresholds (accounts with none set are absent), or null when more
   * than `maxAccounts` have some: then callers read them account by account.
   */
  async lowBalanceOverrides(maxAccounts: number): Promise<Map<string, number[]> | null> {
    const { rows } = await this.database.pool.query<{ account_id: string; low_balance: string[] }>(
      `SELECT account_id, low_balance FROM alert_settings WHERE low_balance IS NOT NULL LIMIT $1`,
      [maxAccounts + 1],
    );
    if (rows.length > maxAccounts) return null;
    return new Map(rows.map((row) => [row.account_id, row.low_balance.map(Number)]));
  }

  async alertSettings(accountId: string): Promise<StoredAlertSettings | undefined> {
    const { rows } = await this.database.pool.query<{
      low_balance: number[] | null;
      percent_of_last_top_up: number[] | null;
      expiring_days: number | null;
    }>(
      `SELECT low_balance, percent_of_last_top_up, expiring_days FROM alert_settings WHERE account_id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      lowBalance: row.low_balance?.map(Number) ?? null,
      percentOfLastTopUp: row.percent_of_last_top_up,
      expiringDays: row.expiring_days,
    };
  }

  async saveProfile(accountId: string, profile: Profile, now: Date): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO account_profiles (account_id, email, name, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name,
         updated_at = EXCLUDED.updated_at`,
      [accountId, profile.email, profile.name, now],
    );
  }

  /** The Stripe customer's email after a checkout; used only while the profile has none. */
  async saveStripeEmail(accountId: string, email: string, now: Date): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO account_profiles (account_id, stripe_email, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET stripe_email = EXCLUDED.stripe_email,
         updated_at = EXCLUDED.updated_at`,
      [accountId, email, now],
    );
  }
}
