import type { BalanceView, LedgerState } from '../state';
import type { EpochMs } from '../instants';
import type { RecalledSpendsView } from '../compact-state';

/**
 * The account as a command's rules see it at `nowMs`: `state` as stored, read only, and `view`, the
 * blocks and balances once the lazy expiry in front of the command is written (viewAt). Holds past
 * their deadline and blocks past their time are treated as expired by the rules themselves, so no
 * copy of the state with that expiry folded in is ever made.
 */
export interface Situation {
  state: LedgerState;
  view: BalanceView;
  nowMs: EpochMs;
  /** Spends recalled for the refunds of this batch (decide's `recalledSpends`). */
  recalledSpends?: RecalledSpendsView;
  /** Purchase references other accounts hold (CommandContext.purchaseRefsHeldElsewhere). */
  purchaseRefsHeldElsewhere?: ReadonlyMap<string, string>;
}
