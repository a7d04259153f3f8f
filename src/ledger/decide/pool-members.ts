import type { RemoveMemberCommand, SetMemberCommand } from '../commands';
import { lookup } from '../keyed-records';
import { MAX_MEMBERS_PER_ACCOUNT, sameLimit } from '../programs/pool-usage';
import type { Situation } from './situation';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * PRODUCT.md §3: a member joins the pool or its limit changes. Setting what is already set writes
 * nothing. A pool is bounded (MAX_MEMBERS_PER_ACCOUNT), so its state stays small.
 */
export function decideSetMember(command: SetMemberCommand, { state }: Situation): RulesOutcome {
  const existing = lookup(state.extras.members, command.memberId);
  if (existing && sameLimit(existing.limit, command.limit)) return accept();
  if (!existing && Object.keys(state.extras.members).length >= MAX_MEMBERS_PER_ACCOUNT)
    return reject({ code: 'too_many_members', limit: MAX_MEMBERS_PER_ACCOUNT });
  return accept({
    type: 'MemberSet',
    data: {
      memberId: command.memberId,
      ...(command.limit !== undefined && {
        limit: { credits: command.limit.credits, period: command.limit.period },
      }),
    },
  });
}

/** A member leaves the pool; removing one that is not a member writes nothing (DELETE is idempotent). */
export function decideRemoveMember(
  command: RemoveMemberCommand,
  { state }: Situation,
): RulesOutcome {
  if (!lookup(state.extras.members, command.memberId)) return accept();
  return accept({ type: 'MemberRemoved', data: { memberId: command.memberId } });
}
