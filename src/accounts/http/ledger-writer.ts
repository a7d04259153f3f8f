import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import type { AccountCommand } from '../commands';
import type { WriteOutcome } from '../write-path/write-outcome';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * What every write route does with its command: send it on the command bus, and mark an answer
 * given from the idempotency memory (a repeat of an earlier request) as replayed.
 */
@Injectable()
export class LedgerWriter {
  constructor(private readonly commandBus: CommandBus) {}

  async send(command: AccountCommand, reply: FastifyReply): Promise<WriteOutcome> {
    const outcome = await this.commandBus.execute(command);
    if (outcome.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return outcome;
  }
}
