import { forgetAllSpends } from '../../ledger/compact-state';
import type { LedgerState } from '../../ledger/state';
import { BoundedCache } from './bounded-cache';
import { estimatedStateBytes, LIGHT_STATE_BYTES } from './state-weight';

export interface AccountStateCacheLimits {
  /** At most this many states (ACCOUNT_CACHE_MAX_ENTRIES). */
  maxStates: number;
  /** At most this much of their estimated heap (ACCOUNT_CACHE_MAX_MB). */
  maxBytes: number;
  /** The most recently written this many keep their remembered spends (ACCOUNT_CACHE_ACTIVE_STATES). */
  activeStates: number;
}

export interface AccountCacheStats {
  states: number;
  /** The states' estimated heap (state-weight.ts), bounded by ACCOUNT_CACHE_MAX_MB. */
  estimatedBytes: number;
  /** States dropped to stay within ACCOUNT_CACHE_MAX_ENTRIES or ACCOUNT_CACHE_MAX_MB, since start. */
  evictions: number;
  /** States that forgot their remembered spends (cached while not active, or left the active ones). */
  idled: number;
}

/**
 * The account repository's folded states, least recently used dropped first past either limit.
 *
 * Only the states of the `activeStates` most recently written accounts keep their remembered
 * spends: a state cached by any other path (a balance read, a cold load) forgets them on the way
 * in, and a written one forgets them once `activeStates` other accounts were written since. For an
 * account with a few spends that is half its heap (≈ 0.6 of 1.3 KB), and a refund of one of them,
 * if it ever comes, recalls the spend from the stream (one query) and decides exactly as it would
 * have. Forgetting in place is safe while a command holds the state: refunds decide on copies taken
 * before the command's first wait (compact-state/recalled-spends.ts), and a state that forgot is as
 * valid as one that never knew.
 */
export class AccountStateCache {
  private readonly states: BoundedCache<string, LedgerState>;
  /**
   * The active accounts' ids, least recently written first (a Set keeps insertion order). Ids only:
   * a state dropped from the cache must not be kept alive here.
   */
  private readonly active = new Set<string>();
  private idledCount = 0;

  constructor(private readonly limits: AccountStateCacheLimits) {
    this.states = new BoundedCache(limits.maxStates, {
      maxWeight: limits.maxBytes,
      minWeight: LIGHT_STATE_BYTES,
      weigh: estimatedStateBytes,
    });
  }

  get(accountId: string): LedgerState | undefined {
    return this.states.get(accountId);
  }

  /** A state loaded or refreshed: it keeps its spends only if its account is an active one. */
  set(accountId: string, state: LedgerState): void {
    if (!this.active.has(accountId)) this.forgetSpends(state);
    this.states.set(accountId, state);
  }

  /**
   * A state just written (BoundedCache.keep: cached again if it was dropped, weighed again either
   * way): its account becomes the most recently active.
   */
  keep(accountId: string, state: LedgerState): void {
    this.states.keep(accountId, state);
    this.written(accountId);
  }

  delete(accountId: string): void {
    this.states.delete(accountId);
    this.active.delete(accountId);
  }

  stats(): AccountCacheStats {
    return {
      states: this.states.size,
      estimatedBytes: this.states.weight,
      evictions: this.states.evictions,
      idled: this.idledCount,
    };
  }

  private written(accountId: string): void {
    this.active.delete(accountId);
    this.active.add(accountId);
    if (this.active.size <= this.limits.activeStates) return;
    const idleId = this.active.values().next().value as string;
    this.active.delete(idleId);
    const idle = this.states.peek(idleId);
    if (idle !== undefined && this.forgetSpends(idle)) this.states.reweigh(idleId);
  }

  private forgetSpends(state: LedgerState): boolean {
    if (state.rememberedSpends === 0) return false;
    forgetAllSpends(state);
    this.idledCount += 1;
    return true;
  }
}
