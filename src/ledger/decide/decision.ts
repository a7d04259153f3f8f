import type { LedgerEvent } from '../events';
import type { Rejection } from '../rejections';
import type { IdempotencyRecord } from '../state';

/**
 * A purchase whose providerRef the account already has (LEDGER.md "Purchase": deduplicated
 * forever). Nothing is written; the caller answers as for the first purchase.
 */
export interface DuplicatePurchase {
  kind: 'noop';
  reason: 'duplicate_purchase';
  purchaseId: string;
  blockId: string;
}

export type Decision =
  /** Append these, in order: lazy expiry events first, then the command's own. May be empty. */
  | { kind: 'accepted'; events: LedgerEvent[] }
  /** The same Idempotency-Key with the same request hash: nothing new, answer as before. */
  | { kind: 'replayed'; record: IdempotencyRecord }
  /** Nothing is written, not even expiry that was due (LEDGER.md invariant 3). */
  | { kind: 'rejected'; rejection: Rejection }
  | DuplicatePurchase;
