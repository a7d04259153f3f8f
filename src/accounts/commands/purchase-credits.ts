import { CommandHandler } from '@nestjs/cqrs';
import type { PurchaseCreditsCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Record paid credits; a payment reference credits one purchase in the whole ledger. */
export class PurchaseCredits extends AccountCommand<PurchaseCreditsCommand> {}

@CommandHandler(PurchaseCredits)
export class PurchaseCreditsHandler extends AccountCommandHandler<PurchaseCredits> {}
