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

/** Quotes written by one statement at most (a JSON parameter of about 300 bytes a quote). */
const MAX_QUOTES_PER_INSERT = 500;

interface PendingSave {
  quote: StoredQuote;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The `quotes` table (migrations/1732241300000_quotes.sql): every instance reads the quotes any
 * other gave, across restarts. One primary-key read per spend that pays one. Whether a quote was
 * used is not kept here: the account's stream knows (docs/pricing.md).
 *
 * Saves are grouped: one insert is in flight at a time, and the quotes asked for meanwhile go in
 * the next one, one statement and one commit for all of them (as the event store's group commit
 * does for appends). Alone, a quote is written at once; under load, commits (and WAL flushes) do
 * not grow with the quotes. A quote is answered only once its row is committed.
 */
@Injectable()
export class QuoteStore {
  private pending: PendingSave[] = [];
  private flushing = false;

  constructor(@Inject(DATABASE) private readonly database: Database) {}

  save(quote: StoredQuote): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ quote, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_QUOTES_PER_INSERT);
      try {
        await this.insert(batch.map((saving) => saving.quote));
        for (const saving of batch) saving.resolve();
      } catch (error) {
        for (const saving of batch) saving.reject(error);
      }
    }
    this.flushing = false;
  }

  private async insert(quotes: StoredQuote[]): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO quotes (quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at)
       SELECT quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at
       FROM json_to_recordset($1::json) AS r(quote_id text, account_id text, operation jsonb, operation_name text,
                                            credits bigint, minimum_available bigint, created_at timestamptz,
                                            expires_at timestamptz)`,
      [
        JSON.stringify(
          quotes.map((quote) => ({
            quote_id: quote.quoteId,
            account_id: quote.accountId,
            operation: quote.operation,
            operation_name: quote.operationName,
            credits: quote.credits,
            minimum_available: quote.minimumAvailable,
            created_at: quote.createdAt,
            expires_at: quote.expiresAt,
          })),
        ),
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
