import { CommandHandler } from '@nestjs/cqrs';
import type { AdjustCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Take credits off an account by hand, with a reason (an admin's "adjust down"). */
export class AdjustCredits extends AccountCommand<AdjustCreditsCommand> {}

@CommandHandler(AdjustCredits)
export class AdjustCreditsHandler extends AccountCommandHandler<AdjustCredits> {}
