import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AccountQueries, type BalanceAnswer } from './account-queries';
import { GetBalance } from './get-balance.query';

@QueryHandler(GetBalance)
export class GetBalanceHandler implements IQueryHandler<GetBalance, BalanceAnswer> {
  constructor(private readonly queries: AccountQueries) {}

  execute({ accountId, at }: GetBalance): Promise<BalanceAnswer> {
    return at ? this.queries.balanceAt(accountId, at) : this.queries.balance(accountId);
  }
}
