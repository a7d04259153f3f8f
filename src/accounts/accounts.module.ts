import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { PricingModule } from '../pricing/pricing.module';
import { FastBodyChecks } from '../http/validation/fast-body-checks';
import { ACCOUNT_COMMAND_HANDLERS } from './commands';
import { ACCOUNT_PROBLEMS } from './http/account-problems';
import { BalanceController } from './http/balance.controller';
import { CheckRequest, QuoteRequest, SpendRequest } from './http/dto/requests';
import { checkCheckRequest } from './http/dto/check-request.fast-check';
import { checkQuoteRequest } from './http/dto/quote-request.fast-check';
import { checkSpendRequest } from './http/dto/spend-request.fast-check';
import { AdjustmentsController } from './http/adjustments.controller';
import { AccountSearchController } from './http/account-search.controller';
import { SearchAccountsHandler } from './search/search-accounts.handler';
import { GrantsController } from './http/grants.controller';
import { LedgerWriter } from './http/ledger-writer';
import { ReservationsController } from './http/reservations.controller';
import { SpendsController } from './http/spends.controller';
import { ACCOUNT_QUERY_PROVIDERS } from './queries';
import { WRITE_PATH_PROVIDERS } from './write-path';
import { ACCOUNT_PRICING_PROVIDERS } from './pricing';
import { PRICED_CHARGE_PROBLEMS } from './http/priced-charge-problems';
import { QuotesController } from './http/quotes.controller';

/**
 * Accounts: balance and check (queries); spend, refund, grant, purchase, reserve, capture and
 * release (commands), each funnelled into the account's mailbox (write-path/); quotes, and spends
 * and holds priced by operation or quote (pricing/, with `RateCards` from PricingModule, imported for
 * that alone). Exports nothing:
 * other features that write to the ledger (payments, expiry) send commands on the command bus.
 */
@Module({
  imports: [PricingModule],
  controllers: [
    BalanceController,
    SpendsController,
    GrantsController,
    AdjustmentsController,
    AccountSearchController,
    ReservationsController,
    QuotesController,
  ],
  providers: [
    ...WRITE_PATH_PROVIDERS,
    ...ACCOUNT_COMMAND_HANDLERS,
    ...ACCOUNT_QUERY_PROVIDERS,
    ...ACCOUNT_PRICING_PROVIDERS,
    LedgerWriter,
    SearchAccountsHandler,
  ],
})
export class AccountsModule {
  constructor(problems: ProblemCatalog, fastBodyChecks: FastBodyChecks) {
    problems.register(ACCOUNT_PROBLEMS);
    problems.register(PRICED_CHARGE_PROBLEMS);
    // The spend body, the hottest route's, is checked without class-validator when plainly valid.
    fastBodyChecks.register(SpendRequest, checkSpendRequest);
    // The check and quote bodies too: both are reads that should answer as fast as they can.
    fastBodyChecks.register(CheckRequest, checkCheckRequest);
    fastBodyChecks.register(QuoteRequest, checkQuoteRequest);
  }
}
