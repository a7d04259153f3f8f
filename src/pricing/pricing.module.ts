import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { CachedRateCards } from './cached-rate-cards';
import { PublishRateCardHandler } from './commands/publish-rate-card.handler';
import { RateCardController } from './http/rate-card.controller';
import { PRICING_PROBLEMS } from './pricing-problems';
import { GetRateCardHandler } from './queries/get-rate-card.handler';
import { RateCards } from './rate-card/rate-cards';
import { RateCardStream } from './rate-card-stream';

/**
 * Pricing (PRODUCT.md §1, docs/pricing.md): the event-sourced rate card, `GET/PUT /v1/rate-card`.
 * Exports `RateCards`, the port other features price with (`current()` on the spend path,
 * `version(n)` for what a quote or hold was priced with): import this module to inject it.
 */
@Module({
  controllers: [RateCardController],
  providers: [
    PublishRateCardHandler,
    GetRateCardHandler,
    RateCardStream,
    {
      provide: CachedRateCards,
      inject: [RateCardStream],
      useFactory: (stream: RateCardStream) => new CachedRateCards(stream),
    },
    { provide: RateCards, useExisting: CachedRateCards },
  ],
  exports: [RateCards],
})
export class PricingModule {
  constructor(problems: ProblemCatalog) {
    problems.register(PRICING_PROBLEMS);
  }
}
