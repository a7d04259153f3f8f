import { Query } from '@nestjs/cqrs';
import type { LimitPeriod, MemberLimit } from '../../ledger/events';

/** A pool member as reported (API.md "Pools"): its limit and what it used in the current period. */
export interface PoolMember {
  memberId: string;
  limit: MemberLimit | null;
  used: number;
  /** The period `used` counts: the limit's, or the month when there is no limit. */
  period: LimitPeriod;
  periodStart: string;
}

/**
 * The members of an organization pool now (strongly consistent, like the balance), ordered by id;
 * only `memberId` when given (an empty list when it is not a member).
 */
export class GetPoolMembers extends Query<PoolMember[]> {
  constructor(
    readonly accountId: string,
    readonly memberId?: string,
  ) {
    super();
  }
}
