import { Query } from '@nestjs/cqrs';
import type { Charge, ChargeRequest } from './charge';

/**
 * The credits of a spend or hold by operation (at the current card) or by quote, and what the
 * decider must still check; asked before the spend is sent. Throws PricingRefusedError or
 * QuoteNotFoundError.
 */
export class PriceCharge extends Query<Charge> {
  constructor(
    readonly accountId: string,
    readonly request: ChargeRequest,
  ) {
    super();
  }
}
