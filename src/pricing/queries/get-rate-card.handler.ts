import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CachedRateCards } from '../cached-rate-cards';
import { RateCardVersionNotFoundError } from '../errors';
import type { RateCard } from '../rate-card/rate-card';
import { GetRateCard } from './get-rate-card.query';

/**
 * Without a version: the newest card in the stream now (not the spend path's cached one), so an
 * admin reads the card just published on any process. With one: that version, from the cache or
 * one event read.
 */
@QueryHandler(GetRateCard)
export class GetRateCardHandler implements IQueryHandler<GetRateCard, RateCard> {
  constructor(private readonly cards: CachedRateCards) {}

  async execute({ version }: GetRateCard): Promise<RateCard> {
    if (version === undefined) return this.cards.newest();
    const card = await this.cards.version(version);
    if (!card) throw new RateCardVersionNotFoundError(version);
    return card;
  }
}
