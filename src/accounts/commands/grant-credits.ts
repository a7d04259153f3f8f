import { CommandHandler } from '@nestjs/cqrs';
import type { GrantCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Give credits without payment (signup, promotion, compensation, …). */
export class GrantCredits extends AccountCommand<GrantCreditsCommand> {}

@CommandHandler(GrantCredits)
export class GrantCreditsHandler extends AccountCommandHandler<GrantCredits> {}
