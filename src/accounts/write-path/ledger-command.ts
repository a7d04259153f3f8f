import { Command } from '@nestjs/cqrs';
import type { CommandContext, LedgerCommand } from '../../ledger/commands';
import type { LedgerEvent } from '../../ledger/events';

/** What a write endpoint needs to answer, whether the command ran now or is a replay. */
export interface CommandOutcome {
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

/** The context a caller supplies; `now` comes from the one Clock when the command runs. */
export type CallerContext = Omit<CommandContext, 'now'>;

/** Every ledger write goes through this one command (see LedgerCommandHandler). */
export class ExecuteLedgerCommand extends Command<CommandOutcome> {
  constructor(
    readonly accountId: string,
    readonly command: LedgerCommand,
    readonly context: CallerContext,
  ) {
    super();
  }
}
