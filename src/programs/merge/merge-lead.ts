import { Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MergeAccount } from '../../accounts/commands';
import type { CallerContext } from '../../accounts/write-path/caller-context';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import type { MergeAccountCommand } from '../../ledger/commands';
import type { TransferSent } from '../../ledger/events';
import { AppConfig } from '../../config/app-config';
import { newId } from '../../shared/ids';
import { TransferProcess } from '../transfers/transfer-process';

/** POST /v1/accounts/{leadId}/merge. */
export class MergeLead extends Command<WriteOutcome> {
  constructor(
    readonly leadId: string,
    readonly into: string,
    /** The operator's reason, if given: the `note` of the merge's events. */
    readonly note: string | undefined,
    readonly context: CallerContext,
  ) {
    super();
  }
}

/**
 * The lead's stream does the merge in one append (releases, the transfer of everything left, the
 * closing: src/ledger/decide/merge-account.ts); the credits reach `into` as any transfer does —
 * at once from here, or by the transfers reactor if this process stops first.
 */
@CommandHandler(MergeLead)
export class MergeLeadHandler implements ICommandHandler<MergeLead, WriteOutcome> {
  private readonly logger = new Logger('Transfers');

  constructor(
    private readonly commandBus: CommandBus,
    private readonly process: TransferProcess,
    private readonly config: AppConfig,
  ) {}

  async execute({ leadId, into, note, context }: MergeLead): Promise<WriteOutcome> {
    const merge: MergeAccountCommand = {
      kind: 'merge',
      mergeId: newId('merge'),
      into,
      ...(note !== undefined && { note }),
    };
    const outcome: WriteOutcome = await this.commandBus.execute(
      new MergeAccount(leadId, merge, context),
    );
    const sent = outcome.events.find(
      (event): event is TransferSent => event.type === 'TransferSent',
    );
    if (sent && this.config.transfersDeliverInline) {
      try {
        await this.process.complete(leadId, sent.data);
      } catch (error) {
        this.logger.warn(
          { err: error, transferId: sent.data.transferId },
          'merge delivery failed; the transfers reactor will finish it',
        );
      }
    }
    return outcome;
  }
}
