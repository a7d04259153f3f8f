import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ExecuteLedgerCommand, type CommandOutcome } from '../write-path/ledger-command';
import type { LedgerCommand } from '../../ledger/commands';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { callerContext } from '../../http/request-context';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** What every write controller does: build the caller context, send the command, mark replays. */
@Injectable()
export class LedgerWriter {
  constructor(private readonly commandBus: CommandBus) {}

  async execute(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    accountId: string,
    command: LedgerCommand,
    body: unknown,
  ): Promise<CommandOutcome> {
    const context = callerContext(request, command.kind, accountId, body);
    const outcome = await this.commandBus.execute(
      new ExecuteLedgerCommand(accountId, command, context),
    );
    if (outcome.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return outcome;
  }
}
