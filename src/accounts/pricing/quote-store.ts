import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import type { OperationRecord } from '../../ledger/events';
import type { StoredQuote } from './stored-quote';

interface QuoteRow {
  quote_id: string;
  account_id: string;
  operation: OperationRecord;
  operation_name: string;
  credits: number;
  minimum_available: number | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * The `quotes` table (migrations/1732241300000_quotes.sql): every instance reads the quotes any
 * other gave, across restarts. One insert per quote, one primary-key read per spend that pays
 * one. Whether a quote was used is not kept here: the account's stream knows (docs/pricing.md).
 */
@Injectable()
export class QuoteStore {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async save(quote: StoredQuote): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO quotes (quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        quote.quoteId,
        quote.accountId,
        JSON.stringify(quote.operation),
        quote.operationName,
        quote.credits,
        quote.minimumAvailable,
        quote.createdAt,
        quote.expiresAt,
      ],
    );
  }

  async find(quoteId: string): Promise<StoredQuote | null> {
    const { rows } = await this.database.pool.query<QuoteRow>(
      `SELECT quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at
       FROM quotes WHERE quote_id = $1`,
      [quoteId],
    );
    const [row] = rows;
    return row === undefined ? null : toQuote(row);
  }

  /** Deletes quotes that expired before `before`; returns how many. */
  async deleteExpiredBefore(before: Date): Promise<number> {
    const { rowCount } = await this.database.pool.query(
      `DELETE FROM quotes WHERE expires_at < $1`,
      [before],
    );
    return rowCount ?? 0;
  }
}

function toQuote(row: QuoteRow): StoredQuote {
  return {
    quoteId: row.quote_id,
    accountId: row.account_id,
    operation: row.operation,
    operationName: row.operation_name,
    credits: row.credits,
    minimumAvailable: row.minimum_available,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}
