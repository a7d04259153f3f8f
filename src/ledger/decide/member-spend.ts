import type { Rejection } from '../rejections';
import { lookup } from '../keyed-records';
import { usageAt } from '../programs/pool-usage';
import type { Situation } from './situation';

/**
 * PRODUCT.md §3: a spend naming a member is refused unless the member belongs to the pool and the
 * spend keeps it within its limit for the current UTC period. Decided with the balance, on the
 * same state, so concurrent spends can never take a member over its limit.
 */
export function memberSpendRejection(
  memberId: string,
  credits: number,
  { state, nowMs }: Situation,
): Rejection | null {
  const member = lookup(state.extras.members, memberId);
  if (!member) return { code: 'not_a_member', memberId };
  if (member.limit === null) return null;
  const { period, credits: limit } = member.limit;
  const { used, periodStart } = usageAt(member, period, nowMs);
  if (used + credits <= limit) return null;
  return {
    code: 'member_limit_exceeded',
    memberId,
    limit,
    used,
    period,
    periodStart,
    required: credits,
  };
}
