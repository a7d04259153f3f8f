import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { AccountMailbox } from '../write-path/account-mailbox';
import type { WriteOutcome } from '../write-path/write-outcome';
import type { AccountCommand } from './account-command';

/**
 * What the handler of every account command does: submit it to the account's mailbox. The one
 * place that calls AccountMailbox.submit, so the write path behind it can change without touching
 * any use case. No await of its own: the spend path pays one call, not one more tick.
 */
@Injectable()
export abstract class AccountCommandHandler<
  T extends AccountCommand,
> implements ICommandHandler<AccountCommand> {
  constructor(private readonly mailbox: AccountMailbox) {}

  execute(request: T): Promise<WriteOutcome> {
    return this.mailbox.submit(request.accountId, request.command, request.context);
  }
}
