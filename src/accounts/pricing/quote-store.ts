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
 * The `quotes` table (migrations/1732241300000_quotes.sql), where quotes were kept before they were
 * signed (quote-signer.ts): no quote is written here any more. A spend naming an id of the old form
 * reads it here, so the quotes given just before an upgrade stay payable until they expire; the
 * retention sweep then empties the table (a later release can drop it).
 */
@Injectable()
export class QuoteStore {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

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
