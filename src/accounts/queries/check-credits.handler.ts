import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AccountQueries, type CheckAnswer } from './account-queries';
import { CheckCredits } from './check-credits.query';

@QueryHandler(CheckCredits)
export class CheckCreditsHandler implements IQueryHandler<CheckCredits, CheckAnswer> {
  constructor(private readonly queries: AccountQueries) {}

  execute({ accountId, credits }: CheckCredits): Promise<CheckAnswer> {
    return this.queries.check(accountId, credits);
  }
}
