import { Command } from '@nestjs/cqrs';
import type { PriceRequest } from '../../pricing/rate-card/rate-card';
import type { QuoteAnswer } from './quote-answer';

/**
 * Price an operation for an account at the current card and keep the quote (QUOTE_TTL_SECONDS), so
 * that a spend or hold naming it pays exactly that once. Writes no ledger event.
 */
export class CreateQuote extends Command<QuoteAnswer> {
  constructor(
    readonly accountId: string,
    readonly request: PriceRequest,
  ) {
    super();
  }
}
