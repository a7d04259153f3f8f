import { CommandHandler } from '@nestjs/cqrs';
import type { ChangeSubscriptionPlanCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** The subscription's plan changed: an upgrade grants the difference for the rest of the period. */
export class ChangeSubscriptionPlan extends AccountCommand<ChangeSubscriptionPlanCommand> {}

@CommandHandler(ChangeSubscriptionPlan)
export class ChangeSubscriptionPlanHandler extends AccountCommandHandler<ChangeSubscriptionPlan> {}
