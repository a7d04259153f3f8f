import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReceiveTransfer, ReturnTransfer } from '../../accounts/commands';
import type { CallerContext } from '../../accounts/write-path/caller-context';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import type { TransferDeclined, TransferSent } from '../../ledger/events';
import { newId } from '../../shared/ids';

export type TransferStatus = 'pending' | 'completed' | 'returned';

/** The process's own actor in event metadata: no caller asked for the second step. */
const PROCESS_ACTOR = { kind: 'system', id: 'transfers' } as const;

/**
 * The second step of a transfer (docs/architecture.md "Transfers"): given a TransferSent on the
 * source, credit the destination (TransferReceived) or, if it declines (TransferDeclined), give the
 * credits back to the source (TransferReturned). Every step is a command to one account, decided
 * once per transferId by that account's own stream, so running it twice — the request that started
 * the transfer and the reactor after it, or the reactor again after a crash — changes nothing.
 */
@Injectable()
export class TransferProcess {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Drives a sent transfer to its end: its status once the steps ran are durable, and the global
   * position of the last of them (what `?after=` needs to read that status).
   */
  async complete(
    sourceId: string,
    sent: TransferSent['data'],
  ): Promise<{ status: TransferStatus; position: string | null }> {
    const arrival = await this.deliver(sourceId, sent);
    const declined = arrival.events.find(
      (event): event is TransferDeclined => event.type === 'TransferDeclined',
    );
    if (!declined) return { status: 'completed', position: arrival.position };
    const back = await this.giveBack(declined.data);
    return { status: 'returned', position: back.position ?? arrival.position };
  }

  /** Step two: the destination takes it in, or declines it for good. */
  deliver(sourceId: string, sent: TransferSent['data']): Promise<WriteOutcome> {
    return this.commandBus.execute(
      new ReceiveTransfer(
        sent.to,
        {
          kind: 'receive',
          transferId: sent.transferId,
          from: sourceId,
          purpose: sent.purpose,
          blocks: sent.drawdown.map((drawn) => ({
            blockId: newId('block'),
            fromBlockId: drawn.blockId,
            credits: drawn.credits,
            category: drawn.category,
            ...(drawn.expiresAt !== undefined && { expiresAt: drawn.expiresAt }),
          })),
          // A merge's operator reason shows on the receiving side too.
          ...(sent.note !== undefined && { note: sent.note }),
        },
        processContext(sent.transferId),
      ),
    );
  }

  /** After a decline: the credits go back to the source's blocks, once. */
  giveBack(declined: TransferDeclined['data']): Promise<WriteOutcome> {
    return this.commandBus.execute(
      new ReturnTransfer(
        declined.from,
        { kind: 'return', transferId: declined.transferId, reason: declined.reason },
        processContext(declined.transferId),
      ),
    );
  }
}

function processContext(transferId: string): CallerContext {
  return { correlationId: `transfer:${transferId}`, actor: PROCESS_ACTOR };
}
