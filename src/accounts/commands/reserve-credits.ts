import { CommandHandler } from '@nestjs/cqrs';
import type { ReserveCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Hold credits for an operation in flight, until captured, released or past its deadline. */
export class ReserveCredits extends AccountCommand<ReserveCreditsCommand> {}

@CommandHandler(ReserveCredits)
export class ReserveCreditsHandler extends AccountCommandHandler<ReserveCredits> {}
