import { CommandHandler } from '@nestjs/cqrs';
import type { PaySubscriptionPeriodCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** A subscription period was paid: grant its credits once, with the rollover of the ending period. */
export class PaySubscriptionPeriod extends AccountCommand<PaySubscriptionPeriodCommand> {}

@CommandHandler(PaySubscriptionPeriod)
export class PaySubscriptionPeriodHandler extends AccountCommandHandler<PaySubscriptionPeriod> {}
