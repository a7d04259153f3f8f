import { Command } from '@nestjs/cqrs';
import type { LedgerCommand } from '../../ledger/commands';
import type { CallerContext } from '../write-path/caller-context';
import type { WriteOutcome } from '../write-path/write-outcome';

/**
 * A write to one account: the use case's ledger command and who asks. Every use case is a class
 * of its own (SpendCredits, RefundSpend, …), so the command bus routes it to its own handler and a
 * reader finds a use case by its name; all of them end in the account's mailbox, where writes to
 * one account are queued, batched and appended together.
 */
export abstract class AccountCommand<
  C extends LedgerCommand = LedgerCommand,
> extends Command<WriteOutcome> {
  constructor(
    readonly accountId: string,
    readonly command: C,
    readonly context: CallerContext,
  ) {
    super();
  }
}
