import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { AccountQueries } from '../queries/account-queries';
import { LowBalance } from '../queries/low-balance';
import { ChargePricer } from './charge-pricer';
import { CreateQuote } from './create-quote.command';
import type { QuoteAnswer } from './quote-answer';
import { QuoteSigner } from './quote-signer';

const MS_PER_SECOND = 1000;

@CommandHandler(CreateQuote)
export class CreateQuoteHandler implements ICommandHandler<CreateQuote, QuoteAnswer> {
  constructor(
    private readonly pricer: ChargePricer,
    private readonly queries: AccountQueries,
    private readonly signer: QuoteSigner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly lowBalance: LowBalance,
  ) {}

  async execute({ accountId, request }: CreateQuote): Promise<QuoteAnswer> {
    // Priced first: a request the card refuses costs no turn in the account's queue.
    const priced = await this.pricer.atCurrentCard(request);
    const expiresAt = new Date(
      this.clock.now().getTime() + this.config.quoteTtlSeconds * MS_PER_SECOND,
    ).toISOString();
    // Signed, not stored (quote-signer.ts): nothing to write, so the answer waits for no commit.
    const quoteId = this.signer.sign(accountId, {
      operation: priced.operation,
      credits: priced.credits,
      expiresAt,
    });
    // Like `check`, the balance is the account as of every command queued before, whichever
    // process wrote it. The line does not depend on it: both at once.
    const [{ available, balance }, line] = await Promise.all([
      this.queries.balance(accountId),
      this.lowBalance.lineFor(accountId),
    ]);
    const { credits } = priced;
    return {
      quoteId,
      credits,
      breakdown: priced.breakdown,
      rateCardVersion: priced.operation.rateCardVersion,
      expiresAt,
      available,
      sufficient: available >= credits && available >= (priced.minimumAvailable ?? 0),
      balanceAfter: balance - credits,
      lowBalance: LowBalance.isBelow(available - credits, line),
    };
  }
}
