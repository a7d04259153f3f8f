import { Global, Module } from '@nestjs/common';
import { DEFAULT_RATE_CARD } from './rate-card/default-rate-card';
import type { RateCard } from './rate-card/rate-card';
import { RateCards } from './rate-card/rate-cards';

/** STAND-IN: only the default card, never published to; the real RateCards reads the card stream. */
class DefaultRateCardOnly extends RateCards {
  current(): Promise<RateCard> {
    return Promise.resolve(DEFAULT_RATE_CARD);
  }

  version(version: number): Promise<RateCard | null> {
    return Promise.resolve(version === DEFAULT_RATE_CARD.version ? DEFAULT_RATE_CARD : null);
  }
}

/**
 * STAND-IN (issue 13, quotes branch): the rate-card engineer's PricingModule replaces this file
 * whole on merge. What the accounts feature needs of it: `RateCards`, exported to every module
 * (global), so AccountsModule injects it without importing this module.
 */
@Global()
@Module({
  providers: [{ provide: RateCards, useClass: DefaultRateCardOnly }],
  exports: [RateCards],
})
export class PricingModule {}
