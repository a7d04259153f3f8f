import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AccountQueries } from './account-queries';
import { GetPoolMembers, type PoolMember } from './get-pool-members.query';

@QueryHandler(GetPoolMembers)
export class GetPoolMembersHandler implements IQueryHandler<GetPoolMembers, PoolMember[]> {
  constructor(private readonly queries: AccountQueries) {}

  execute({ accountId, memberId }: GetPoolMembers): Promise<PoolMember[]> {
    return this.queries.poolMembers(accountId, memberId);
  }
}
