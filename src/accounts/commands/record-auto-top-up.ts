import { CommandHandler } from '@nestjs/cqrs';
import type { RecordAutoTopUpCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Record how an automatic top-up ended (its credits are an ordinary purchase). */
export class RecordAutoTopUp extends AccountCommand<RecordAutoTopUpCommand> {}

@CommandHandler(RecordAutoTopUp)
export class RecordAutoTopUpHandler extends AccountCommandHandler<RecordAutoTopUp> {}
