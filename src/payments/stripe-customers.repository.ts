import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '../database/database';

/** account id → Stripe Customer id: one Customer per account, reused for every checkout. */
@Injectable()
export class StripeCustomersRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async find(accountId: string): Promise<string | null> {
    const { rows } = await this.database.pool.query<{ customer_id: string }>(
      'SELECT customer_id FROM stripe_customers WHERE account_id = $1',
      [accountId],
    );
    return rows[0]?.customer_id ?? null;
  }

  /** Records the Customer unless the account already has one; returns the one that is recorded. */
  async remember(accountId: string, customerId: string, now: Date): Promise<string> {
    const { rows } = await this.database.pool.query<{ customer_id: string }>(
      `INSERT INTO stripe_customers (account_id, customer_id, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET account_id = stripe_customers.account_id
       RETURNING customer_id`,
      [accountId, customerId, now],
    );
    return rows[0].customer_id;
  }
}
