import { setTimeout as sleep } from 'node:timers/promises';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { WrongExpectedRevisionError } from '../../event-store/event-store.port';
import { Clock } from '../../shared/clock';
import { CachedRateCards } from '../cached-rate-cards';
import { RateCardInvalidError, RateCardPublishConflictError } from '../errors';
import type { RateCard } from '../rate-card/rate-card';
import { decidePublish } from '../rate-card/rate-card-decider';
import { RateCardStream } from '../rate-card-stream';
import { PublishRateCard } from './publish-rate-card.command';

/** Pauses between optimistic attempts on stores that cannot hold a stream: full jitter, capped. */
const RETRY_BASE_MS = 4;
const RETRY_CAP_MS = 250;

/**
 * Decides on the newest card in the stream and appends with its revision as the expectation, like
 * an account's write path (docs/write-path.md "Retry policy"): a lost race is decided again while
 * holding the stream where the store can (it cannot lose twice), otherwise after a jittered pause;
 * after COMMAND_MAX_ATTEMPTS, 409 concurrency_conflict. A card with problems is refused before
 * anything is written. The published card is adopted by this process's cache at once.
 */
@CommandHandler(PublishRateCard)
export class PublishRateCardHandler implements ICommandHandler<PublishRateCard, RateCard> {
  constructor(
    private readonly stream: RateCardStream,
    private readonly cards: CachedRateCards,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async execute({ operations, publisher }: PublishRateCard): Promise<RateCard> {
    const command = { operations };
    for (let attempt = 1; ; attempt++) {
      const state = await this.cards.newest();
      const decision = decidePublish(state, command, this.clock.now());
      if (decision.kind === 'rejected') throw new RateCardInvalidError(decision.problems);
      try {
        const published =
          attempt > 1 && this.stream.canHold
            ? await this.stream.appendHeld(
                state,
                (newest) => decidePublish(newest, command, this.clock.now()),
                publisher,
              )
            : await this.stream.append(state, decision.event, publisher);
        this.cards.adopt(published);
        return published;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= this.config.commandMaxAttempts)
          throw new RateCardPublishConflictError(attempt);
        if (!this.stream.canHold)
          await sleep(Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }
}
