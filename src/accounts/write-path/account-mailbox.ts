import { Injectable } from '@nestjs/common';
import type { LedgerCommand } from '../../ledger/commands';
import { LedgerCommandHandler } from './ledger-command.handler';
import { ExecuteLedgerCommand, type CallerContext, type CommandOutcome } from './ledger-command';

/**
 * The one way into an account's stream: every write (HTTP, Stripe, the expiry worker) is submitted
 * here and queued behind the other commands for the same account, then batched and appended.
 */
@Injectable()
export class AccountMailbox {
  constructor(private readonly handler: LedgerCommandHandler) {}

  submit(
    accountId: string,
    command: LedgerCommand,
    context: CallerContext,
  ): Promise<CommandOutcome> {
    return this.handler.execute(new ExecuteLedgerCommand(accountId, command, context));
  }
}
