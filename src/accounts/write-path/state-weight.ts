import type { LedgerState } from '../../ledger/state';

/**
 * Heap of a cached state beyond its keyed maps' entries: the state object, its cache entry and key,
 * one block's worth of map overhead. Measured on 20,000 folded 3-event states (one block, two
 * spends): 1,316 bytes each, ≈ 300 of them outside any entry.
 */
const STATE_BYTES = 400;

/**
 * Heap per entry of a keyed map, whatever the map: a spend (its record, its refundable amounts and
 * its id as a key) measured ≈ 306 bytes, a block ≈ 410, an idempotency record ≈ 300. One figure
 * errs on the high side of the common ones; docs/performance.md has the measurements.
 */
const RECORD_BYTES = 300;

/**
 * What the cache counts a state as at least: an idle account's state (a block and a few spends, or
 * a few idempotency keys) is ≈ 1.3–2 KB, and such states then need no weight of their own in the
 * cache (BoundedCache's CacheWeights).
 */
export const LIGHT_STATE_BYTES = 2_048;

/**
 * What a cached state costs in heap, estimated from counts the state keeps (no scan): the account
 * cache is bounded by the sum of these (ACCOUNT_CACHE_MAX_MB), not only by its entry count, since
 * a busy account's state holds up to 1,250 spends, and idempotency keys for a week.
 */
export function estimatedStateBytes(state: LedgerState): number {
  return STATE_BYTES + RECORD_BYTES * state.keyedRecords;
}
