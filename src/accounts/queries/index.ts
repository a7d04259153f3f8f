import type { Provider } from '@nestjs/common';
import { AccountQueries } from './account-queries';
import { CheckCreditsHandler } from './check-credits.handler';
import { GetBalanceHandler } from './get-balance.handler';
import { LowBalance } from './low-balance';
import { GetPoolMembersHandler } from './get-pool-members.handler';

/** The reads of the accounts feature: its query handlers and the strongly consistent reads they share. */
export const ACCOUNT_QUERY_PROVIDERS: Provider[] = [
  AccountQueries,
  GetBalanceHandler,
  CheckCreditsHandler,
  LowBalance,
  GetPoolMembersHandler,
];
