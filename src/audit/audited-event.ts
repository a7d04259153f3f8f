/**
 * An event as the audit reads it: the stream's raw record (type, data and metadata not yet
 * trusted) with where it sits. RecordedEvent from the event store port fits; so does a bare
 * LedgerEvent with a revision, for tests.
 */
export interface AuditedEvent {
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
  eventId?: string;
  position?: string;
  recordedAt?: Date | string;
}

/** One broken rule, at the revision where it was seen (null: the stream as a whole). */
export interface Violation {
  revision: number | null;
  rule: AuditRule;
  message: string;
}

/**
 * The rules the audit checks (docs/audit.md lists what each means). Invariants 1 and 2 of
 * LEDGER.md are `negative_available`, `negative_reserved`, `negative_block` and `balance_equation`.
 */
export type AuditRule =
  | 'revision_gap'
  | 'unreadable_event'
  | 'invalid_amount'
  | 'invalid_instant'
  | 'duplicate_id'
  | 'unknown_reference'
  | 'negative_available'
  | 'negative_reserved'
  | 'negative_block'
  | 'block_overfilled'
  | 'balance_equation'
  | 'amounts_disagree'
  | 'drawdown_order'
  | 'expired_block_drawn'
  | 'refund_exceeds_spend'
  | 'refund_not_from_spend'
  | 'early_expiry'
  | 'partial_expiry'
  | 'expiry_not_applied'
  | 'hold_deadline'
  | 'hold_not_from_blocks'
  | 'hold_amount'
  | 'hold_closed'
  | 'hold_overdue'
  | 'late_capture'
  | 'capture_exceeds_hold'
  | 'capture_remainder'
  | 'release_reason'
  | 'duplicate_purchase'
  | 'reversal_exceeds_purchase'
  | 'reinstatement_mismatch'
  | 'reversal_shortfall'
  | 'domain_fold';

/** Something odd that breaks no invariant (e.g. a clock that went back between two appends). */
export interface AuditWarning {
  revision: number;
  message: string;
}
