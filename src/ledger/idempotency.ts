import type { LedgerEvent } from './events';
import type { IdempotencyRecord, LedgerState } from './state';
import { type EpochMs, epochMs } from './instants';
import { lookup } from './keyed-records';
import { putInState, removeFromState } from './compact-state';

/**
 * Forgetting stale keys scans the whole map, so it runs once every this many events: memory stays
 * bounded by the keys of the retention window plus at most this many events' worth.
 */
export const IDEMPOTENCY_PRUNE_INTERVAL = 256;

/** The record for `key` if still remembered at `nowMs`; one past retention that pruning has not dropped yet counts as forgotten. */
export function rememberedCommand(
  state: LedgerState,
  key: string,
  nowMs: EpochMs,
): IdempotencyRecord | undefined {
  const record = lookup(state.extras.idempotency, key);
  if (!record) return undefined;
  return isWithinRetention(state, record, nowMs) ? record : undefined;
}

/**
 * Called by evolve after the event is folded. A command's events are consecutive and share their
 * key, hash and instant, so an event continuing the record's last revision extends it; anything else
 * is a new command with that key.
 */
export function rememberCommandEvent(state: LedgerState, event: LedgerEvent): void {
  const { idempotencyKey, requestHash = '', occurredAt } = event.metadata;
  if (idempotencyKey === undefined) return;
  const existing = lookup(state.extras.idempotency, idempotencyKey);
  const continues =
    existing !== undefined &&
    existing.requestHash === requestHash &&
    existing.lastRevision === state.revision - 1 &&
    existing.occurredAt === occurredAt;
  putInState(state, 'idempotency', idempotencyKey, {
    requestHash,
    firstRevision: continues ? existing.firstRevision : state.revision,
    lastRevision: state.revision,
    balance: state.unexpiredRemaining + state.reserved,
    available: state.unexpiredRemaining,
    reserved: state.reserved,
    occurredAt,
  });
}

/** Drops keys older than the retention window, seen from the instant of the event just folded. */
export function forgetStaleKeys(state: LedgerState, event: LedgerEvent): void {
  if (state.revision % IDEMPOTENCY_PRUNE_INTERVAL !== 0) return;
  const nowMs = epochMs(event.metadata.occurredAt);
  for (const [key, record] of Object.entries(state.extras.idempotency)) {
    if (!isWithinRetention(state, record, nowMs)) removeFromState(state, 'idempotency', key);
  }
}

function isWithinRetention(state: LedgerState, record: IdempotencyRecord, nowMs: EpochMs): boolean {
  return nowMs - epochMs(record.occurredAt) <= state.options.idempotencyRetentionMs;
}
