import type { LedgerEvent, QuoteUse } from './events';
import type { Rejection } from './rejections';
import type { LedgerState } from './state';
import { IDEMPOTENCY_PRUNE_INTERVAL } from './idempotency';
import { type EpochMs, epochMs, isDue } from './instants';
import { lookup } from './keyed-records';
import { putInState, removeFromState } from './compact-state';

/**
 * A quote pays one spend or hold (PRODUCT.md §1). The account's own stream enforces it: the event
 * that used the quote names it, and the state remembers it until the quote expires. After that,
 * a second use is refused as expired without the memory, so forgetting it changes no decision, and
 * the memory holds no more than the quotes used within one quote lifetime (plus the events between
 * two prunings). Pruning depends only on the events folded: every fold forgets the same quotes.
 */

/** Expired or already used: why the quote cannot pay now, or null when it can. */
export function quoteRefusal(
  state: LedgerState,
  quote: QuoteUse,
  nowMs: EpochMs,
): Rejection | null {
  // Expiry first: the answer for an old quote must not depend on whether pruning has run.
  if (isDue(quote.expiresAt, nowMs))
    return { code: 'quote_expired', quoteId: quote.quoteId, expiresAt: quote.expiresAt };
  if (lookup(state.extras.usedQuotes, quote.quoteId) !== undefined)
    return { code: 'quote_used', quoteId: quote.quoteId };
  return null;
}

/** Called by evolve for an event that paid a quote. */
export function rememberUsedQuote(state: LedgerState, quote: QuoteUse): void {
  putInState(state, 'usedQuotes', quote.quoteId, quote.expiresAt);
}

/**
 * Drops the quotes past their expiry, seen from the event just folded; like the idempotency
 * memory, once every IDEMPOTENCY_PRUNE_INTERVAL events, so a spend does not scan the map.
 */
export function forgetExpiredQuotes(state: LedgerState, event: LedgerEvent): void {
  if (state.revision % IDEMPOTENCY_PRUNE_INTERVAL !== 0) return;
  const nowMs = epochMs(event.metadata.occurredAt);
  for (const [quoteId, expiresAt] of Object.entries(state.extras.usedQuotes)) {
    if (isDue(expiresAt, nowMs)) removeFromState(state, 'usedQuotes', quoteId);
  }
}
