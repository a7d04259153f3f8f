import type { CommandContext, LedgerCommand } from './commands';
import type { LedgerEvent } from './events';
import type { Rejection } from './rejections';
import type { BalanceView, IdempotencyRecord, LedgerOptions, LedgerState } from './state';

/**
 * The decider (ARCHITECTURE.md "Domain"). Pure: no I/O, no clock other than `context.now`,
 * no random ids (commands carry them).
 */
export type Decision =
  | { kind: 'accepted'; events: LedgerEvent[] }
  /** The same Idempotency-Key with the same request hash: nothing new, answer as before. */
  | { kind: 'replayed'; record: IdempotencyRecord }
  | { kind: 'rejected'; rejection: Rejection };

export function initialState(_options?: Partial<LedgerOptions>): LedgerState {
  throw new Error('not implemented');
}

/**
 * Folds one event into the state. For speed on long streams it updates `state` in place and
 * returns it: callers that need the old state keep a `cloneState` copy.
 */
export function evolve(_state: LedgerState, _event: LedgerEvent): LedgerState {
  throw new Error('not implemented');
}

/** Never mutates `state`. Lazy expiry events (due blocks and holds) come first in `events`. */
export function decide(_command: LedgerCommand, _state: LedgerState, _context: CommandContext): Decision {
  throw new Error('not implemented');
}

/** Balances at `now`: blocks past expiresAt count as gone even before CreditsExpired is written. */
export function viewAt(_state: LedgerState, _now: Date): BalanceView {
  throw new Error('not implemented');
}

export function cloneState(state: LedgerState): LedgerState {
  return structuredClone(state);
}
