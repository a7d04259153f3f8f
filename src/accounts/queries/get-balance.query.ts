import { Query } from '@nestjs/cqrs';
import type { BalanceAnswer } from './account-queries';

/** A balance answer with `lowBalance`: available below the account's line (low-balance.ts). */
export type BalanceWithAlert = BalanceAnswer & { lowBalance: boolean };

/** The account's balance now (strongly consistent), or as it was at `at`. */
export class GetBalance extends Query<BalanceWithAlert> {
  constructor(
    readonly accountId: string,
    readonly at?: Date,
  ) {
    super();
  }
}
