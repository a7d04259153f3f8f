import { CommandHandler } from '@nestjs/cqrs';
import type { WelcomeCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** The signup or lead policy's grant, once ever per account (src/programs/welcome). */
export class WelcomeCredits extends AccountCommand<WelcomeCreditsCommand> {}

@CommandHandler(WelcomeCredits)
export class WelcomeCreditsHandler extends AccountCommandHandler<WelcomeCredits> {}
