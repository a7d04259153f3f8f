import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { dayString, daysOf, type Period } from '../period';
import type {
  OperationUsage,
  PurchaseAmountsAnswer,
  PurchaseRow,
  PurchasesGroupBy,
  Revenue,
  UsageAmountsAnswer,
  UsageGroupBy,
  UsageRow,
} from './analytics-rows';

/** Sums of the usage columns, as bigint (sum() of bigint is numeric, which pg hands over as text). */
const USAGE_SUMS = `sum(spent_credits)::bigint AS spent_credits, sum(spends)::bigint AS spends,
  sum(refunded_credits)::bigint AS refunded_credits, sum(refunds)::bigint AS refunds`;
const NET = `sum(spent_credits) - sum(refunded_credits)`;

interface UsageRecord {
  spent_credits: number;
  spends: number;
  refunded_credits: number;
  refunds: number;
}

function amounts(record: UsageRecord): UsageAmountsAnswer {
  return {
    credits: record.spent_credits - record.refunded_credits,
    spentCredits: record.spent_credits,
    refundedCredits: record.refunded_credits,
    spends: record.spends,
    refunds: record.refunds,
  };
}

const ZERO: UsageRecord = { spent_credits: 0, spends: 0, refunded_credits: 0, refunds: 0 };

/**
 * Reads the analytics read models (projections/analytics/, docs/reports.md). Every question reads
 * tables whose size does not grow with the number of events of a day: per day and operation, per
 * day and pack, per month and account (plus the partial months from the daily table).
 */
@Injectable()
export class AnalyticsReadModel {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  usage(groupBy: UsageGroupBy, period: Period, limit: number): Promise<UsageRow[]> {
    switch (groupBy) {
      case 'day':
        return this.usageByDay(period);
      case 'operation':
        return this.usageByOperation(period);
      case 'account':
        return this.usageByAccount(period, limit);
      case 'member':
        return this.usageByMember(period, limit);
    }
  }

  purchases(groupBy: PurchasesGroupBy, period: Period): Promise<PurchaseRow[]> {
    return groupBy === 'day' ? this.purchasesByDay(period) : this.purchasesByPack(period);
  }

  private get pool() {
    return this.database.pool;
  }

  /** Every day of the period, zeros included (a chart's x axis), with its operations. */
  private async usageByDay(period: Period): Promise<UsageRow[]> {
    const range = [dayString(period.from), dayString(period.to)];
    const { rows } = await this.pool.query<UsageRecord & { day: string; operation_id: string }>(
      `SELECT day::text AS day, operation_id, spent_credits, spends, refunded_credits, refunds
       FROM analytics_usage_daily WHERE day >= $1::date AND day < $2::date ORDER BY day, operation_id`,
      range,
    );
    const active = await this.pool.query<{ day: string; active_accounts: number }>(
      `SELECT day::text AS day, active_accounts FROM analytics_active_daily WHERE day >= $1::date AND day < $2::date`,
      range,
    );
    const activeByDay = new Map(active.rows.map((row) => [row.day, row.active_accounts]));
    const byDay = new Map<string, OperationUsage[]>();
    for (const row of rows) {
      const list = byDay.get(row.day) ?? [];
      list.push({
        operationId: row.operation_id === '' ? null : row.operation_id,
        ...amounts(row),
      });
      byDay.set(row.day, list);
    }
    return daysOf(period).map((day) => {
      const operations = byDay.get(day) ?? [];
      const total = operations.reduce<UsageRecord>(
        (sum, operation) => ({
          spent_credits: sum.spent_credits + operation.spentCredits,
          spends: sum.spends + operation.spends,
          refunded_credits: sum.refunded_credits + operation.refundedCredits,
          refunds: sum.refunds + operation.refunds,
        }),
        ZERO,
      );
      return {
        day,
        ...amounts(total),
        activeAccounts: activeByDay.get(day) ?? 0,
        byOperation: operations,
      };
    });
  }

  private async usageByOperation(period: Period): Promise<UsageRow[]> {
    const { rows } = await this.pool.query<UsageRecord & { operation_id: string }>(
      `SELECT operation_id, ${USAGE_SUMS} FROM analytics_usage_daily
       WHERE day >= $1::date AND day < $2::date GROUP BY operation_id ORDER BY ${NET} DESC, operation_id`,
      [dayString(period.from), dayString(period.to)],
    );
    return rows.map((row) => ({
      operationId: row.operation_id === '' ? null : row.operation_id,
      ...amounts(row),
    }));
  }

  /**
   * The `limit` accounts that used most. Whole calendar months inside the period come from the
   * monthly table, the days before and after them from the daily one: a two-year period reads
   * 24 months of rows per active account instead of 730 days.
   */
  private async usageByAccount(period: Period, limit: number): Promise<UsageRow[]> {
    const months = wholeMonths(period);
    const { rows } = await this.pool.query<UsageRecord & { account_id: string }>(
      `SELECT account_id, ${USAGE_SUMS} FROM (
         SELECT account_id, spent_credits, spends, refunded_credits, refunds FROM analytics_account_usage_monthly
         WHERE month >= $3::date AND month < $4::date
         UNION ALL
         SELECT account_id, spent_credits, spends, refunded_credits, refunds FROM analytics_account_usage_daily
         WHERE day >= $1::date AND day < $2::date AND NOT (day >= $3::date AND day < $4::date)
       ) usage
       GROUP BY account_id ORDER BY ${NET} DESC, account_id LIMIT $5`,
      [dayString(period.from), dayString(period.to), months.from, months.to, limit],
    );
    return rows.map((row) => ({ accountId: row.account_id, ...amounts(row) }));
  }

  private async usageByMember(period: Period, limit: number): Promise<UsageRow[]> {
    const { rows } = await this.pool.query<UsageRecord & { account_id: string; member: string }>(
      `SELECT account_id, member, ${USAGE_SUMS} FROM analytics_member_usage_daily
       WHERE day >= $1::date AND day < $2::date
       GROUP BY account_id, member ORDER BY ${NET} DESC, account_id, member LIMIT $3`,
      [dayString(period.from), dayString(period.to), limit],
    );
    return rows.map((row) => ({ accountId: row.account_id, member: row.member, ...amounts(row) }));
  }

  private async purchasesByDay(period: Period): Promise<PurchaseRow[]> {
    const rows = await this.purchaseRecords(period, 'day::text');
    const byDay = new Map<string, PurchaseRecord[]>();
    for (const row of rows) byDay.set(row.k, [...(byDay.get(row.k) ?? []), row]);
    return daysOf(period).map((day) => ({ day, ...purchaseAmounts(byDay.get(day) ?? []) }));
  }

  private async purchasesByPack(period: Period): Promise<PurchaseRow[]> {
    const rows = await this.purchaseRecords(period, 'pack_id');
    const byPack = new Map<string, PurchaseRecord[]>();
    for (const row of rows) byPack.set(row.k, [...(byPack.get(row.k) ?? []), row]);
    return [...byPack].map(([packId, records]) => ({
      packId: packId === '' ? null : packId,
      ...purchaseAmounts(records),
    }));
  }

  private async purchaseRecords(period: Period, groupKey: string): Promise<PurchaseRecord[]> {
    const { rows } = await this.pool.query<PurchaseRecord>(
      `SELECT ${groupKey} AS k, currency, sum(purchases)::bigint AS purchases, sum(credits)::bigint AS credits,
              sum(revenue_minor)::bigint AS revenue_minor, sum(reversals)::bigint AS reversals,
              sum(reversed_credits)::bigint AS reversed_credits
       FROM analytics_purchases_daily WHERE day >= $1::date AND day < $2::date
       GROUP BY ${groupKey}, currency ORDER BY 1, currency`,
      [dayString(period.from), dayString(period.to)],
    );
    return rows;
  }
}

interface PurchaseRecord {
  k: string;
  currency: string;
  purchases: number;
  credits: number;
  revenue_minor: number;
  reversals: number;
  reversed_credits: number;
}

function purchaseAmounts(records: PurchaseRecord[]): PurchaseAmountsAnswer {
  const revenue: Revenue[] = records
    .filter((record) => record.purchases !== 0 || record.revenue_minor !== 0)
    .map((record) => ({ currency: record.currency, amountMinor: record.revenue_minor }));
  const total = (pick: (record: PurchaseRecord) => number) =>
    records.reduce((sum, record) => sum + pick(record), 0);
  return {
    purchases: total((record) => record.purchases),
    credits: total((record) => record.credits),
    revenue,
    reversals: total((record) => record.reversals),
    reversedCredits: total((record) => record.reversed_credits),
  };
}

/** The whole calendar months inside a whole-day period, as [from, to) of first days (empty: from = to). */
export function wholeMonths(period: Period): { from: string; to: string } {
  const start = period.from;
  const firstMonth =
    start.getUTCDate() === 1
      ? start
      : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const end = period.to;
  const lastMonth = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  if (firstMonth.getTime() >= lastMonth.getTime())
    return { from: dayString(start), to: dayString(start) };
  return { from: dayString(firstMonth), to: dayString(lastMonth) };
}
