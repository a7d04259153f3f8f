import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '../database/database';

export interface SubscriptionRow {
  subscriptionId: string;
  accountId: string;
  customerId: string | null;
  planId: string | null;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

/**
 * stripe_subscriptions: each subscription as Stripe last reported it, for
 * GET /v1/accounts/{id}/subscription. Written by the webhook only; an event older (by Stripe's
 * `created`) than the one that wrote the row changes nothing, since Stripe does not order its
 * deliveries. Never ledger truth: grants and rollover are decided from the account's stream.
 */
@Injectable()
export class SubscriptionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async record(row: SubscriptionRow, stripeUpdatedAt: Date, now: Date): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO stripe_subscriptions (subscription_id, account_id, customer_id, plan_id, status,
         current_period_end, cancel_at_period_end, stripe_updated_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (subscription_id) DO UPDATE SET
         customer_id = COALESCE(EXCLUDED.customer_id, stripe_subscriptions.customer_id),
         plan_id = COALESCE(EXCLUDED.plan_id, stripe_subscriptions.plan_id),
         status = EXCLUDED.status,
         current_period_end = COALESCE(EXCLUDED.current_period_end, stripe_subscriptions.current_period_end),
         cancel_at_period_end = EXCLUDED.cancel_at_period_end,
         stripe_updated_at = EXCLUDED.stripe_updated_at,
         updated_at = EXCLUDED.updated_at
       WHERE stripe_subscriptions.stripe_updated_at <= EXCLUDED.stripe_updated_at
         AND stripe_subscriptions.status <> 'canceled'`,
      [
        row.subscriptionId,
        row.accountId,
        row.customerId,
        row.planId,
        row.status,
        row.currentPeriodEnd,
        row.cancelAtPeriodEnd,
        stripeUpdatedAt,
        now,
      ],
    );
  }

  /** The account's most recently reported subscription, or null. */
  async latest(accountId: string): Promise<SubscriptionRow | null> {
    const { rows } = await this.database.pool.query<{
      subscription_id: string;
      account_id: string;
      customer_id: string | null;
      plan_id: string | null;
      status: string;
      current_period_end: Date | null;
      cancel_at_period_end: boolean;
    }>(
      `SELECT subscription_id, account_id, customer_id, plan_id, status, current_period_end, cancel_at_period_end
         FROM stripe_subscriptions WHERE account_id = $1
        ORDER BY (status = 'canceled'), stripe_updated_at DESC LIMIT 1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      subscriptionId: row.subscription_id,
      accountId: row.account_id,
      customerId: row.customer_id,
      planId: row.plan_id,
      status: row.status,
      currentPeriodEnd: row.current_period_end,
      cancelAtPeriodEnd: row.cancel_at_period_end,
    };
  }

  /** The account a Stripe Customer was recorded for at checkout (stripe_customers), or null. */
  async accountOfCustomer(customerId: string): Promise<string | null> {
    const { rows } = await this.database.pool.query<{ account_id: string }>(
      'SELECT account_id FROM stripe_customers WHERE customer_id = $1 LIMIT 1',
      [customerId],
    );
    return rows[0]?.account_id ?? null;
  }
}
