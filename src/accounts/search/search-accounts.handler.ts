import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DATABASE, type Database } from '../../database/database';
import { type AccountSearchPage, SearchAccounts } from './search-accounts.query';

interface BalanceRow {
  account_id: string;
  balance: string;
  available: string;
  reserved: string;
  updated_at: Date;
}

/**
 * One page of `account_balances` through its byte-order index (migration 1732260100000): a LIKE
 * on a literal prefix and a keyset on accountId, so a page costs `limit + 1` index entries however
 * many accounts there are. One row more than asked tells whether there is a next page.
 */
@QueryHandler(SearchAccounts)
export class SearchAccountsHandler implements IQueryHandler<SearchAccounts, AccountSearchPage> {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async execute({ prefix, limit, after }: SearchAccounts): Promise<AccountSearchPage> {
    const { rows } = await this.database.pool.query<BalanceRow>(
      `SELECT account_id, balance, available, reserved, updated_at
         FROM account_balances
        WHERE (account_id COLLATE "C") LIKE $1
          AND ($2::text IS NULL OR (account_id COLLATE "C") > $2::text)
        ORDER BY account_id COLLATE "C"
        LIMIT $3`,
      [`${escapeLike(prefix)}%`, after, limit + 1],
    );
    const page = rows.slice(0, limit).map((row) => ({
      accountId: row.account_id,
      balance: Number(row.balance),
      available: Number(row.available),
      reserved: Number(row.reserved),
      updatedAt: row.updated_at.toISOString(),
    }));
    return {
      data: page,
      nextCursor: rows.length > limit ? page[page.length - 1].accountId : null,
    };
  }
}

/** `_` and `%` are account id characters too: matched literally (LIKE's default escape is `\`). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
