import { CommandHandler } from '@nestjs/cqrs';
import type { CaptureReservationCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Spend all or part of a hold; the rest is released in the same write. */
export class CaptureReservation extends AccountCommand<CaptureReservationCommand> {}

@CommandHandler(CaptureReservation)
export class CaptureReservationHandler extends AccountCommandHandler<CaptureReservation> {}
