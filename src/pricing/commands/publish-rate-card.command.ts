import { Command } from '@nestjs/cqrs';
import type { RateCard } from '../rate-card/rate-card';
import type { Publisher } from '../rate-card-stream';

/** Publish a whole new card (`PUT /v1/rate-card`): the next version, or every problem with it. */
export class PublishRateCard extends Command<RateCard> {
  constructor(
    /** As sent: the decider validates them (rate-card/validate-card.ts). */
    readonly operations: unknown,
    readonly publisher: Publisher,
  ) {
    super();
  }
}
