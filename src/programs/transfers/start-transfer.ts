import { Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SendTransfer } from '../../accounts/commands';
import type { CallerContext } from '../../accounts/write-path/caller-context';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import type { TransferSent } from '../../ledger/events';
import { AppConfig } from '../../config/app-config';
import { newId } from '../../shared/ids';
import { TransferProcess, type TransferStatus } from './transfer-process';

export interface TransferRequest {
  from: string;
  to: string;
  credits: number;
  reason: string;
}

export interface StartedTransfer {
  sent: TransferSent['data'];
  from: string;
  status: TransferStatus;
  /** The source's write (its revision; replayed for a repeated Idempotency-Key). */
  outcome: WriteOutcome;
  /** Of the last step written: `?after=` on GET /v1/transfers/{id} then shows this status. */
  position: string | null;
}

/** POST /v1/transfers: move credits from one account to another. */
export class StartTransfer extends Command<StartedTransfer> {
  constructor(
    readonly request: TransferRequest,
    readonly context: CallerContext,
  ) {
    super();
  }
}

/**
 * Step one on the source (exactly once per Idempotency-Key, by the source's idempotency memory),
 * then step two at once so that the usual answer is already `completed`. If step two fails here
 * (the process dies, the store is unreachable), the transfers reactor finishes it from the log:
 * the answer is then `pending`, and GET /v1/transfers/{id} shows the end.
 */
@CommandHandler(StartTransfer)
export class StartTransferHandler implements ICommandHandler<StartTransfer, StartedTransfer> {
  private readonly logger = new Logger('Transfers');

  constructor(
    private readonly commandBus: CommandBus,
    private readonly process: TransferProcess,
    private readonly config: AppConfig,
  ) {}

  async execute({ request, context }: StartTransfer): Promise<StartedTransfer> {
    const outcome: WriteOutcome = await this.commandBus.execute(
      new SendTransfer(
        request.from,
        {
          kind: 'transfer',
          transferId: newId('transfer'),
          to: request.to,
          credits: request.credits,
          reason: request.reason,
        },
        context,
      ),
    );
    const sent = outcome.events.find(
      (event): event is TransferSent => event.type === 'TransferSent',
    );
    if (!sent) throw new Error(`transfer from ${request.from} answered without its TransferSent`);
    let status: TransferStatus = 'pending';
    let position = outcome.position;
    if (!this.config.transfersDeliverInline)
      return { sent: sent.data, from: request.from, status, outcome, position };
    try {
      const ended = await this.process.complete(request.from, sent.data);
      status = ended.status;
      position = ended.position ?? position;
    } catch (error) {
      this.logger.warn(
        { err: error, transferId: sent.data.transferId },
        'second step failed; the transfers reactor will finish it',
      );
    }
    return { sent: sent.data, from: request.from, status, outcome, position };
  }
}
