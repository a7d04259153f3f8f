import { Query } from '@nestjs/cqrs';

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;
export const MAX_SEARCH_PREFIX = 200;

export interface AccountSummary {
  accountId: string;
  balance: number;
  available: number;
  reserved: number;
  /** occurredAt of the account's last event. */
  updatedAt: string;
}

export interface AccountSearchPage {
  data: AccountSummary[];
  /** The last accountId of this page, to pass as `after`; null on the last page. */
  nextCursor: string | null;
}

/**
 * Accounts whose id starts with `prefix` (all when empty), by accountId in byte order, after the
 * accountId `after`: from the balances read model (projected, so eventually consistent).
 */
export class SearchAccounts extends Query<AccountSearchPage> {
  constructor(
    readonly prefix: string,
    readonly limit: number,
    readonly after: string | null,
  ) {
    super();
  }
}
