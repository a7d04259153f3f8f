import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '../database/database';

export type CheckoutSessionStatus = 'open' | 'complete' | 'expired' | 'failed';

export interface CheckoutSessionRecord {
  sessionId: string;
  accountId: string;
  packId: string | null;
  amount: { minor: number; currency: string } | null;
  /** What the session grants (credits + bonus), fixed at checkout; null when not recorded. */
  credits: number | null;
  /** The catalog revision the pack's terms were taken from. */
  catalogRevision: number | null;
  status: CheckoutSessionStatus;
  createdAt: string;
  updatedAt: string;
}

/** How far along a session is: a status never goes back (events arrive in any order). */
const RANK_SQL = `CASE $STATUS WHEN 'open' THEN 0 WHEN 'complete' THEN 1 ELSE 2 END`;
const rank = (column: string) => RANK_SQL.replace('$STATUS', column);

/** The account's Checkout Sessions, for support (docs/stripe.md "Sessions that go nowhere"). */
@Injectable()
export class CheckoutSessionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** One idempotent statement: a repeat or an older event never moves the status back. */
  async record(
    session: {
      sessionId: string;
      accountId: string;
      packId: string | null;
      amountMinor: number | null;
      currency: string | null;
      /** Only the checkout knows these (a webhook leaves them null, never overwrites them). */
      credits?: number;
      bonusCredits?: number;
      catalogRevision?: number;
      status: CheckoutSessionStatus;
      createdAt: Date;
    },
    now: Date,
  ): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO checkout_sessions (session_id, account_id, pack_id, amount_minor, currency, status, created_at, updated_at,
                                      credits, bonus_credits, catalog_revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (session_id) DO UPDATE SET
         status = CASE WHEN ${rank('EXCLUDED.status')} > ${rank('checkout_sessions.status')} THEN EXCLUDED.status ELSE checkout_sessions.status END,
         pack_id = COALESCE(checkout_sessions.pack_id, EXCLUDED.pack_id),
         amount_minor = COALESCE(checkout_sessions.amount_minor, EXCLUDED.amount_minor),
         currency = COALESCE(checkout_sessions.currency, EXCLUDED.currency),
         credits = COALESCE(checkout_sessions.credits, EXCLUDED.credits),
         bonus_credits = COALESCE(checkout_sessions.bonus_credits, EXCLUDED.bonus_credits),
         catalog_revision = COALESCE(checkout_sessions.catalog_revision, EXCLUDED.catalog_revision),
         updated_at = GREATEST(checkout_sessions.updated_at, EXCLUDED.updated_at)`,
      [
        session.sessionId,
        session.accountId,
        session.packId,
        session.amountMinor,
        session.currency?.toUpperCase() ?? null,
        session.status,
        session.createdAt,
        now,
        session.credits ?? null,
        session.bonusCredits ?? null,
        session.catalogRevision ?? null,
      ],
    );
  }

  /** Newest first. */
  async listForAccount(accountId: string, limit: number): Promise<CheckoutSessionRecord[]> {
    const { rows } = await this.database.pool.query<CheckoutSessionRow>(
      `SELECT session_id, account_id, pack_id, amount_minor, currency, credits, catalog_revision, status, created_at, updated_at
         FROM checkout_sessions WHERE account_id = $1 ORDER BY created_at DESC, session_id DESC LIMIT $2`,
      [accountId, limit],
    );
    return rows.map((row) => ({
      sessionId: row.session_id,
      accountId: row.account_id,
      packId: row.pack_id,
      amount:
        row.amount_minor === null || row.currency === null
          ? null
          : { minor: Number(row.amount_minor), currency: row.currency },
      credits: row.credits === null ? null : Number(row.credits),
      catalogRevision: row.catalog_revision,
      status: row.status,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }
}

/** A checkout_sessions row as pg returns it (amount_minor is a bigint: a string or a number). */
interface CheckoutSessionRow {
  session_id: string;
  account_id: string;
  pack_id: string | null;
  amount_minor: string | number | null;
  currency: string | null;
  credits: string | number | null;
  catalog_revision: number | null;
  status: CheckoutSessionStatus;
  created_at: Date | string;
  updated_at: Date | string;
}
