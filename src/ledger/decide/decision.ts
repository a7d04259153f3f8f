import type { LedgerEvent } from '../events';
import type { Rejection } from '../rejections';
import type { AnsweredCommand, IdempotencyRecord } from '../state';

/**
 * A repeat of a purchase the account already has: same reference, same figures (LEDGER.md
 * "Purchase": deduplicated forever). Nothing is written; the caller answers with the first
 * purchase: its ids, the revision of its event, and the account as it was right after it.
 */
export interface DuplicatePurchase {
  kind: 'noop';
  reason: 'duplicate_purchase';
  purchaseId: string;
  blockId: string;
  revision: number;
  balance: number;
  available: number;
  reserved: number;
}

/**
 * A command done once ever (the welcome grant, a merge) asked again: nothing is written; the
 * caller answers with the first one's events (revisions `answer.firstRevision`..`lastRevision`)
 * and the account as it was right after them.
 */
export interface RepeatedCommand {
  kind: 'noop';
  reason: 'repeated';
  answer: AnsweredCommand;
}

export type Decision =
  /** Append these, in order: lazy expiry events first, then the command's own. May be empty. */
  | { kind: 'accepted'; events: LedgerEvent[] }
  /** The same Idempotency-Key with the same request hash: nothing new, answer as before. */
  | { kind: 'replayed'; record: IdempotencyRecord }
  /** Nothing is written, not even expiry that was due (LEDGER.md invariant 3). */
  | { kind: 'rejected'; rejection: Rejection }
  | DuplicatePurchase
  | RepeatedCommand;
