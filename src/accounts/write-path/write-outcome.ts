import type { LedgerEvent } from '../../ledger/events';

/**
 * The answer to one write, whether the command ran now or is a replay: what a write endpoint
 * needs to respond. (Not the domain's per-rule CommandOutcome in ledger/decide/outcome.ts.)
 */
export interface WriteOutcome {
  accountId: string;
  /** The events the command wrote (the first time, for a replay), lazy expiry events included. */
  events: LedgerEvent[];
  balance: number;
  available: number;
  reserved: number;
  /** The account's revision after the command. */
  revision: number;
  /** Global position of the command's last event; null when it wrote nothing. */
  position: string | null;
  /** True when answered from the idempotency memory (Idempotent-Replayed: true). */
  replayed: boolean;
  /**
   * Set when a purchase repeated one the account already has (same reference, same figures): the
   * outcome is then the first purchase's (its event, revision, position and balances).
   */
  duplicatePurchase?: { purchaseId: string; blockId: string };
}
