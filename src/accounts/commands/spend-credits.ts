import { CommandHandler } from '@nestjs/cqrs';
import type { SpendCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Spend credits, drawn from the account's blocks in drawdown order. */
export class SpendCredits extends AccountCommand<SpendCreditsCommand> {}

@CommandHandler(SpendCredits)
export class SpendCreditsHandler extends AccountCommandHandler<SpendCredits> {}
