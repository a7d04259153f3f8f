import { CommandHandler } from '@nestjs/cqrs';
import type {
  MergeAccountCommand,
  ReceiveTransferCommand,
  ReturnTransferCommand,
  SendTransferCommand,
} from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/**
 * The steps of credits moving between accounts (src/programs/transfers, src/programs/merge): each
 * is a write to one account, so each goes through that account's mailbox like any other.
 */
export class SendTransfer extends AccountCommand<SendTransferCommand> {}
export class ReceiveTransfer extends AccountCommand<ReceiveTransferCommand> {}
export class ReturnTransfer extends AccountCommand<ReturnTransferCommand> {}
export class MergeAccount extends AccountCommand<MergeAccountCommand> {}

@CommandHandler(SendTransfer)
export class SendTransferHandler extends AccountCommandHandler<SendTransfer> {}

@CommandHandler(ReceiveTransfer)
export class ReceiveTransferHandler extends AccountCommandHandler<ReceiveTransfer> {}

@CommandHandler(ReturnTransfer)
export class ReturnTransferHandler extends AccountCommandHandler<ReturnTransfer> {}

@CommandHandler(MergeAccount)
export class MergeAccountHandler extends AccountCommandHandler<MergeAccount> {}
