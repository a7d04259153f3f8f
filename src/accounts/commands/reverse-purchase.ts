import { CommandHandler } from '@nestjs/cqrs';
import type { ReversePurchaseCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Take back the credits of a purchase whose money went back (a refund, a dispute). */
export class ReversePurchase extends AccountCommand<ReversePurchaseCommand> {}

@CommandHandler(ReversePurchase)
export class ReversePurchaseHandler extends AccountCommandHandler<ReversePurchase> {}
