import { CommandHandler } from '@nestjs/cqrs';
import type { ReleaseReservationCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Give a hold back in full. */
export class ReleaseReservation extends AccountCommand<ReleaseReservationCommand> {}

@CommandHandler(ReleaseReservation)
export class ReleaseReservationHandler extends AccountCommandHandler<ReleaseReservation> {}
