import type {
  LedgerEvent,
  MemberLimit,
  MemberRemoved,
  MemberSet,
  SpendCreditsCommand,
} from '../../src/ledger';
import { CURRENT_SCHEMA_VERSION } from '../../src/ledger';
import {
  MAX_MEMBERS_PER_ACCOUNT,
  periodStartOf,
  usageAt,
} from '../../src/ledger/programs/pool-usage';
import { given } from './given-when-then';
import { DAY, HOUR, T0, TEST_ACTOR, after, granted, refunded, spent } from './fixtures';

function memberSet(memberId: string, limit?: MemberLimit, at = T0): MemberSet {
  return {
    type: 'MemberSet',
    data: { memberId, ...(limit && { limit }) },
    metadata: {
      occurredAt: at,
      correlationId: 'c',
      actor: TEST_ACTOR,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
}

function memberRemoved(memberId: string, at = T0): MemberRemoved {
  return {
    type: 'MemberRemoved',
    data: { memberId },
    metadata: {
      occurredAt: at,
      correlationId: 'c',
      actor: TEST_ACTOR,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
}

/** A member's spend as the decider writes it. */
function memberSpent(
  spendId: string,
  member: string,
  drawdown: Record<string, number>,
  at = T0,
): LedgerEvent {
  const event = spent(spendId, drawdown, { at });
  return { ...event, data: { ...event.data, member } };
}

const spendBy = (member: string, credits: number, spendId = 's1'): SpendCreditsCommand => ({
  kind: 'spend',
  spendId,
  credits,
  description: 'usage',
  member,
});

const DAILY_10: MemberLimit = { credits: 10, period: 'day' };

describe('organization pools', () => {
  describe('members', () => {
    it('a member joins with a limit', () => {
      given()
        .when({ kind: 'set-member', memberId: 'user:ann', limit: DAILY_10 }, { now: T0 })
        .then(memberSet('user:ann', DAILY_10));
    });

    it('setting the same limit again writes nothing', () => {
      given(memberSet('user:ann', DAILY_10))
        .when({ kind: 'set-member', memberId: 'user:ann', limit: { ...DAILY_10 } }, { now: T0 })
        .then();
    });

    it('a limit can be lifted', () => {
      given(memberSet('user:ann', DAILY_10))
        .when({ kind: 'set-member', memberId: 'user:ann' }, { now: T0 })
        .then(memberSet('user:ann'));
    });

    it('removing a member writes MemberRemoved; removing a stranger writes nothing', () => {
      given(memberSet('user:ann'))
        .when({ kind: 'remove-member', memberId: 'user:ann' }, { now: T0 })
        .then(memberRemoved('user:ann'));
      given().when({ kind: 'remove-member', memberId: 'user:bob' }, { now: T0 }).then();
    });

    it(`a pool has at most ${MAX_MEMBERS_PER_ACCOUNT} members`, () => {
      const members = Array.from({ length: MAX_MEMBERS_PER_ACCOUNT }, (_, index) =>
        memberSet(`user:${index}`),
      );
      given(...members)
        .when({ kind: 'set-member', memberId: 'user:one-more' }, { now: T0 })
        .thenRejects({ code: 'too_many_members', limit: MAX_MEMBERS_PER_ACCOUNT });
      given(...members)
        .when({ kind: 'set-member', memberId: 'user:7', limit: DAILY_10 }, { now: T0 })
        .then(memberSet('user:7', DAILY_10));
    });
  });

  describe('spends by a member', () => {
    it('a member within its limit spends from the pool, the event names the member', () => {
      given(granted('b1', 100), memberSet('user:ann', DAILY_10))
        .when(spendBy('user:ann', 10), { now: after(HOUR) })
        .then(memberSpent('s1', 'user:ann', { b1: 10 }));
    });

    it('a stranger is refused: not_a_member', () => {
      given(granted('b1', 100))
        .when(spendBy('user:bob', 1), { now: after(HOUR) })
        .thenRejects({ code: 'not_a_member', memberId: 'user:bob' });
    });

    it('a removed member is refused', () => {
      given(granted('b1', 100), memberSet('user:ann'), memberRemoved('user:ann', after(HOUR)))
        .when(spendBy('user:ann', 1), { now: after(2 * HOUR) })
        .thenRejects({ code: 'not_a_member' });
    });

    it('over the limit of the day: member_limit_exceeded with limit, used, period', () => {
      given(
        granted('b1', 100),
        memberSet('user:ann', DAILY_10),
        memberSpent('s0', 'user:ann', { b1: 7 }, after(HOUR)),
      )
        .when(spendBy('user:ann', 4), { now: after(2 * HOUR) })
        .thenRejects({
          code: 'member_limit_exceeded',
          memberId: 'user:ann',
          limit: 10,
          used: 7,
          period: 'day',
          periodStart: T0,
          required: 4,
        });
    });

    it('the next UTC day starts from 0', () => {
      given(
        granted('b1', 100),
        memberSet('user:ann', DAILY_10),
        memberSpent('s0', 'user:ann', { b1: 10 }, after(HOUR)),
      )
        .when(spendBy('user:ann', 10), { now: after(DAY) })
        .then(memberSpent('s1', 'user:ann', { b1: 10 }, after(DAY)));
    });

    it('a monthly limit counts the whole calendar month', () => {
      const monthly: MemberLimit = { credits: 20, period: 'month' };
      given(
        granted('b1', 100),
        memberSet('user:ann', monthly),
        memberSpent('s0', 'user:ann', { b1: 15 }, after(HOUR)),
        memberSpent('s9', 'user:ann', { b1: 5 }, after(10 * DAY)),
      )
        .when(spendBy('user:ann', 1), { now: after(20 * DAY) })
        .thenRejects({ code: 'member_limit_exceeded', used: 20, period: 'month', periodStart: T0 });
    });

    it('the limit is decided before the balance: an over-limit spend on an empty pool says so', () => {
      given(memberSet('user:ann', DAILY_10))
        .when(spendBy('user:ann', 11), { now: after(HOUR) })
        .thenRejects({ code: 'member_limit_exceeded', used: 0 });
    });

    it('within its limit but over the pool: insufficient_credits', () => {
      given(granted('b1', 5), memberSet('user:ann', DAILY_10))
        .when(spendBy('user:ann', 6), { now: after(HOUR) })
        .thenRejects({ code: 'insufficient_credits', available: 5, required: 6 });
    });

    it('a refund does not give the member its usage back', () => {
      const state = given(
        granted('b1', 100),
        memberSet('user:ann', DAILY_10),
        memberSpent('s0', 'user:ann', { b1: 10 }, after(HOUR)),
        refunded('r0', 's0', { b1: 10 }),
      ).state();
      expect(
        usageAt(state.extras.members['user:ann'], 'day', Date.parse(after(2 * HOUR))).used,
      ).toBe(10);
    });

    it('changing the limit keeps what was used; re-adding a removed member starts from 0', () => {
      const history = [
        granted('b1', 100),
        memberSet('user:ann', DAILY_10),
        memberSpent('s0', 'user:ann', { b1: 8 }, after(HOUR)),
      ];
      given(...history, memberSet('user:ann', { credits: 9, period: 'month' }, after(HOUR)))
        .when(spendBy('user:ann', 2), { now: after(2 * HOUR) })
        .thenRejects({ code: 'member_limit_exceeded', used: 8, period: 'month' });
      given(
        ...history,
        memberRemoved('user:ann', after(HOUR)),
        memberSet('user:ann', DAILY_10, after(HOUR)),
      )
        .when(spendBy('user:ann', 10), { now: after(2 * HOUR) })
        .then(memberSpent('s1', 'user:ann', { b1: 10 }, after(2 * HOUR)));
    });

    it('spends without a member are not counted against anyone', () => {
      given(granted('b1', 100), memberSet('user:ann', DAILY_10), spent('s0', { b1: 50 }))
        .when(spendBy('user:ann', 10), { now: after(HOUR) })
        .then(memberSpent('s1', 'user:ann', { b1: 10 }, after(HOUR)));
    });
  });

  describe('periods are UTC calendar days and months', () => {
    it('starts at midnight UTC and on the first of the month', () => {
      const at = Date.parse('2026-03-17T23:59:59.999Z');
      expect(periodStartOf('day', at)).toBe('2026-03-17T00:00:00.000Z');
      expect(periodStartOf('month', at)).toBe('2026-03-01T00:00:00.000Z');
    });
  });
});
