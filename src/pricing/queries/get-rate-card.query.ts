import { Query } from '@nestjs/cqrs';
import type { RateCard } from '../rate-card/rate-card';

/** The newest card, or the one published as `version` (0: the default card). */
export class GetRateCard extends Query<RateCard> {
  constructor(readonly version?: number) {
    super();
  }
}
