import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { AccountQueries } from '../queries/account-queries';
import { LowBalance } from '../queries/low-balance';
import { ChargePricer } from './charge-pricer';
import { CreateQuote } from './create-quote.command';
import type { QuoteAnswer } from './quote-answer';
import { QuoteStore } from './quote-store';

const MS_PER_SECOND = 1000;

@CommandHandler(CreateQuote)
export class CreateQuoteHandler implements ICommandHandler<CreateQuote, QuoteAnswer> {
  constructor(
    private readonly pricer: ChargePricer,
    private readonly queries: AccountQueries,
    private readonly quotes: QuoteStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly lowBalance: LowBalance,
  ) {}

  async execute({ accountId, request }: CreateQuote): Promise<QuoteAnswer> {
    // Priced first: a request the card refuses costs no turn in the account's queue.
    const priced = await this.pricer.atCurrentCard(request);
    const createdAtMs = this.clock.now().getTime();
    const quote = {
      quoteId: newId('quote'),
      accountId,
      operation: priced.operation,
      operationName: priced.name,
      credits: priced.credits,
      minimumAvailable: priced.minimumAvailable ?? null,
      createdAt: new Date(createdAtMs).toISOString(),
      expiresAt: new Date(createdAtMs + this.config.quoteTtlSeconds * MS_PER_SECOND).toISOString(),
    };
    // The row does not depend on the balance: both round trips at once. Like `check`, the balance
    // is the account as of every command queued before, whichever process wrote it.
    const [{ available, balance }, line] = await Promise.all([
      this.queries.balance(accountId),
      this.lowBalance.lineFor(accountId),
      this.quotes.save(quote),
    ]);
    const { credits } = priced;
    return {
      quoteId: quote.quoteId,
      credits,
      breakdown: priced.breakdown,
      rateCardVersion: priced.operation.rateCardVersion,
      expiresAt: quote.expiresAt,
      available,
      sufficient: available >= credits && available >= (priced.minimumAvailable ?? 0),
      balanceAfter: balance - credits,
      lowBalance: LowBalance.isBelow(available - credits, line),
    };
  }
}
