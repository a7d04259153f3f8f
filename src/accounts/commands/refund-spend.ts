import { CommandHandler } from '@nestjs/cqrs';
import type { RefundSpendCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Give back a spend, or part of it, to the blocks it came from. */
export class RefundSpend extends AccountCommand<RefundSpendCommand> {}

@CommandHandler(RefundSpend)
export class RefundSpendHandler extends AccountCommandHandler<RefundSpend> {}
