import { loadConfig } from '../../src/config/load-config';
import type { EventStore } from '../../src/event-store/event-store.port';
import { CachedRateCards, type RateCardCacheOptions } from '../../src/pricing/cached-rate-cards';
import { PublishRateCard } from '../../src/pricing/commands/publish-rate-card.command';
import { PublishRateCardHandler } from '../../src/pricing/commands/publish-rate-card.handler';
import type { RateCard } from '../../src/pricing/rate-card/rate-card';
import { RateCardStream } from '../../src/pricing/rate-card-stream';
import { ManualClock } from '../../src/shared/clock';

/** One "process" of the pricing feature on a shared store: its own cache, its own publisher. */
export interface PricingProcess {
  stream: RateCardStream;
  cards: CachedRateCards;
  handler: PublishRateCardHandler;
  publish: (operations: unknown, actor?: string) => Promise<RateCard>;
}

export function pricingProcess(
  store: EventStore,
  options: Partial<RateCardCacheOptions> = {},
  clock = new ManualClock('2026-03-01T12:00:00.000Z'),
  env: Record<string, string> = {},
): PricingProcess {
  const stream = new RateCardStream(store);
  const cards = new CachedRateCards(stream, options);
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const handler = new PublishRateCardHandler(stream, cards, clock, config);
  return {
    stream,
    cards,
    handler,
    publish: (operations, actor = 'ops') =>
      handler.execute(
        new PublishRateCard(operations, {
          correlationId: `req-${actor}`,
          actor: { kind: 'admin', id: actor },
        }),
      ),
  };
}

/** A clock for the cache's refresh interval, moved by hand. */
export class ManualMs {
  ms = 0;
  readonly now = () => this.ms;
}
