import { CommandHandler } from '@nestjs/cqrs';
import type { CancelSubscriptionCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** The subscription ended: no later period is granted; credits already granted stay. */
export class CancelSubscription extends AccountCommand<CancelSubscriptionCommand> {}

@CommandHandler(CancelSubscription)
export class CancelSubscriptionHandler extends AccountCommandHandler<CancelSubscription> {}
