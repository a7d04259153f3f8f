import type { LedgerState } from './state';
import { cloneLedgerState } from './compact-state';

/**
 * The decider (ARCHITECTURE.md "Domain"). Pure: no I/O, no clock other than `context.now`,
 * no random ids (commands carry them). This file is the public entry; each concern lives in its
 * own module:
 * - evolve.ts: initialState and evolve (folds in place)
 * - decide/: decide, and one file per command's rules (decide<Command> in <command>.ts)
 * - expiry.ts, drawdown.ts, idempotency.ts: rules shared by several commands
 * - view.ts: viewAt and checkCredits
 */
export type { Decision, DuplicatePurchase, RepeatedCommand } from './decide/decision';
export { initialState, evolve } from './evolve';
export { decide } from './decide/decide';
export { viewAt, checkCredits, type CreditCheck } from './view';

export function cloneState(state: LedgerState): LedgerState {
  return cloneLedgerState(state);
}
