import { Query } from '@nestjs/cqrs';
import type { BalanceAnswer } from './account-queries';

/** The account's balance now (strongly consistent), or as it was at `at`. */
export class GetBalance extends Query<BalanceAnswer> {
  constructor(
    readonly accountId: string,
    readonly at?: Date,
  ) {
    super();
  }
}
