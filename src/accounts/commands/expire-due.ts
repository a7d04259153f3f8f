import { CommandHandler } from '@nestjs/cqrs';
import type { ExpireDueCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Expire what is due on the account (blocks past their time, holds past their deadline). */
export class ExpireDue extends AccountCommand<ExpireDueCommand> {}

@CommandHandler(ExpireDue)
export class ExpireDueHandler extends AccountCommandHandler<ExpireDue> {}
