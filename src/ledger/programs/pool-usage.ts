import type { LimitPeriod, MemberLimit } from '../events';
import { type EpochMs, epochMs, isoAt } from '../instants';
import type { MemberRecord, UsageWindow } from '../state';

/** Members an organization pool may have: the state keeps one small record each. */
export const MAX_MEMBERS_PER_ACCOUNT = 1_000;

/** The first instant of the UTC calendar day or month holding `ms` (PRODUCT.md §3). */
export function periodStartOf(period: LimitPeriod, ms: EpochMs): string {
  const at = new Date(ms);
  const start =
    period === 'day'
      ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
      : Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  return isoAt(start);
}

/** The period a member's usage is reported by: its limit's, or the month when it has none. */
export function reportedPeriod(member: MemberRecord): LimitPeriod {
  return member.limit?.period ?? 'month';
}

/** What the member spent in the period holding `nowMs` (0 once a new period began). */
export function usageAt(
  member: MemberRecord,
  period: LimitPeriod,
  nowMs: EpochMs,
): { used: number; periodStart: string } {
  const periodStart = periodStartOf(period, nowMs);
  const window = member[period];
  return { used: window.periodStart === periodStart ? window.used : 0, periodStart };
}

export function newMemberRecord(limit: MemberLimit | undefined, occurredAt: string): MemberRecord {
  const ms = epochMs(occurredAt);
  return {
    limit: limit === undefined ? null : { credits: limit.credits, period: limit.period },
    day: { periodStart: periodStartOf('day', ms), used: 0 },
    month: { periodStart: periodStartOf('month', ms), used: 0 },
  };
}

/**
 * Counts a spend in both windows. A spend of a later period starts that period's count; one
 * stamped in a period already over (clocks of two processes disagreeing) counts in none: its
 * period is no longer reported or enforced.
 */
export function countSpend(member: MemberRecord, credits: number, occurredAt: string): void {
  const ms = epochMs(occurredAt);
  member.day = counted(member.day, periodStartOf('day', ms), credits);
  member.month = counted(member.month, periodStartOf('month', ms), credits);
}

function counted(window: UsageWindow, periodStart: string, credits: number): UsageWindow {
  if (periodStart === window.periodStart) return { periodStart, used: window.used + credits };
  if (periodStart > window.periodStart) return { periodStart, used: credits };
  return window;
}

export function sameLimit(a: MemberLimit | null, b: MemberLimit | undefined): boolean {
  if (a === null || b === undefined) return a === null && b === undefined;
  return a.credits === b.credits && a.period === b.period;
}
