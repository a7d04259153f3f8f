import { CommandHandler } from '@nestjs/cqrs';
import type { ReinstateReversalCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Give back what a reversal took, once its money came back (a dispute won, a refund failed). */
export class ReinstateReversal extends AccountCommand<ReinstateReversalCommand> {}

@CommandHandler(ReinstateReversal)
export class ReinstateReversalHandler extends AccountCommandHandler<ReinstateReversal> {}
