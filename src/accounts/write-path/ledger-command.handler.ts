import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AccountMailbox } from './account-mailbox';
import { ExecuteLedgerCommand } from './ledger-command';
import type { WriteOutcome } from './write-outcome';

/**
 * COMPATIBILITY SHIM, to be deleted at merge with ExecuteLedgerCommand: forwards it to the
 * account's mailbox, which does all the work (queueing, batching, retries, answers:
 * docs/write-path.md).
 */
@CommandHandler(ExecuteLedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<ExecuteLedgerCommand> {
  constructor(private readonly mailbox: AccountMailbox) {}

  execute({ accountId, command, context }: ExecuteLedgerCommand): Promise<WriteOutcome> {
    return this.mailbox.submit(accountId, command, context);
  }
}
