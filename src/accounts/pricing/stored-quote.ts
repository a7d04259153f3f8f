import type { OperationRecord } from '../../ledger/events';

/** What a quote promised (PRODUCT.md §1), as the `quotes` table kept it before quotes were signed. */
export interface StoredQuote {
  quoteId: string;
  accountId: string;
  operation: OperationRecord;
  /** The operation's name on the card that priced it: a spend's description when it gives none. */
  operationName: string;
  credits: number;
  /** The operation's minimumAvailable on that card; null when it has none. */
  minimumAvailable: number | null;
  createdAt: string;
  expiresAt: string;
}
