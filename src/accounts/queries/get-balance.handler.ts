import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AccountQueries } from './account-queries';
import { GetBalance, type BalanceWithAlert } from './get-balance.query';
import { LowBalance } from './low-balance';

@QueryHandler(GetBalance)
export class GetBalanceHandler implements IQueryHandler<GetBalance, BalanceWithAlert> {
  constructor(
    private readonly queries: AccountQueries,
    private readonly lowBalance: LowBalance,
  ) {}

  async execute({ accountId, at }: GetBalance): Promise<BalanceWithAlert> {
    const [answer, line] = await Promise.all([
      at ? this.queries.balanceAt(accountId, at) : this.queries.balance(accountId),
      this.lowBalance.lineFor(accountId),
    ]);
    return { ...answer, lowBalance: LowBalance.isBelow(answer.available, line) };
  }
}
