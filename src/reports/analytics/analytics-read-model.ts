import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { dayString, daysOf, type Period } from '../period';
import type {
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

/** A row of one of the two periods: `current` is true for the period, false for the previous one. */
type Tagged<R> = R & { current: boolean };

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

/** The period's rows and the previous period's, as the API answers them. */
export interface BothPeriods<Row> {
  data: Row[];
  previous: Row[];
}

/** Splits tagged rows into the period's and the previous period's, keeping their order. */
function split<R, Row>(rows: Array<Tagged<R>>, map: (row: R) => Row): BothPeriods<Row> {
  const both: BothPeriods<Row> = { data: [], previous: [] };
  for (const row of rows) (row.current ? both.data : both.previous).push(map(row));
  return both;
}

/**
 * Reads the analytics read models (projections/analytics/, docs/reports.md). Every question reads
 * tables whose size does not grow with the number of events of a day: per day and operation, per
 * day and pack, per month and account (plus the partial months from the daily table).
 *
 * The period and the previous period (of the same length, just before it) are read by ONE
 * statement over both, each row tagged with the period it belongs to: one round trip and one
 * connection per question, which is what an answer costs on a busy machine (the queries
 * themselves take a few ms; see docs/performance.md "analytics-http").
 */
@Injectable()
export class AnalyticsReadModel {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  usage(
    groupBy: UsageGroupBy,
    period: Period,
    previous: Period,
    limit: number,
  ): Promise<BothPeriods<UsageRow>> {
    switch (groupBy) {
      case 'day':
        return this.usageByDay(period, previous);
      case 'operation':
        return this.usageByOperation(period, previous);
      case 'account':
        return this.usageByAccount(period, previous, limit);
      case 'member':
        return this.usageByMember(period, previous, limit);
    }
  }

  purchases(
    groupBy: PurchasesGroupBy,
    period: Period,
    previous: Period,
  ): Promise<BothPeriods<PurchaseRow>> {
    return groupBy === 'day'
      ? this.purchasesByDay(period, previous)
      : this.purchasesByPack(period, previous);
  }

  private get pool() {
    return this.database.pool;
  }

  /** Every day of both periods, zeros included (a chart's x axis), with its operations. */
  private async usageByDay(period: Period, previous: Period): Promise<BothPeriods<UsageRow>> {
    // The operations' rows and the active accounts in one statement (active_accounts is null on
    // the operations' rows, the operation on the active accounts' rows).
    const { rows } = await this.pool.query<
      UsageRecord & { day: string; operation_id: string | null; active_accounts: number | null }
    >(
      `SELECT day::text AS day, operation_id, spent_credits, spends, refunded_credits, refunds,
              NULL::bigint AS active_accounts
       FROM analytics_usage_daily WHERE day >= $1::date AND day < $2::date
       UNION ALL
       SELECT day::text, NULL, 0, 0, 0, 0, active_accounts
       FROM analytics_active_daily WHERE day >= $1::date AND day < $2::date
       ORDER BY 1, 2`,
      [dayString(previous.from), dayString(period.to)],
    );
    const activeByDay = new Map<string, number>();
    const byDay = new Map<string, Array<UsageRecord & { operation_id: string }>>();
    for (const row of rows) {
      if (row.operation_id === null) {
        activeByDay.set(row.day, row.active_accounts ?? 0);
        continue;
      }
      const list = byDay.get(row.day);
      if (list) list.push(row as UsageRecord & { operation_id: string });
      else byDay.set(row.day, [row as UsageRecord & { operation_id: string }]);
    }
    const dayRow = (day: string): UsageRow => {
      const operations = byDay.get(day) ?? [];
      const total = { ...ZERO };
      for (const operation of operations) {
        total.spent_credits += operation.spent_credits;
        total.spends += operation.spends;
        total.refunded_credits += operation.refunded_credits;
        total.refunds += operation.refunds;
      }
      return {
        day,
        ...amounts(total),
        activeAccounts: activeByDay.get(day) ?? 0,
        // Three numbers per operation (a two-year answer has thousands of them): the rest of an
        // operation's figures are in groupBy=operation.
        byOperation: operations.map((operation) => ({
          operationId: operation.operation_id === '' ? null : operation.operation_id,
          credits: operation.spent_credits - operation.refunded_credits,
          spends: operation.spends,
        })),
      };
    };
    return { data: daysOf(period).map(dayRow), previous: daysOf(previous).map(dayRow) };
  }

  private async usageByOperation(period: Period, previous: Period): Promise<BothPeriods<UsageRow>> {
    const { rows } = await this.pool.query<Tagged<UsageRecord & { operation_id: string }>>(
      `SELECT day >= $2::date AS current, operation_id, ${USAGE_SUMS} FROM analytics_usage_daily
       WHERE day >= $1::date AND day < $3::date
       GROUP BY 1, operation_id ORDER BY 1, ${NET} DESC, operation_id`,
      [dayString(previous.from), dayString(period.from), dayString(period.to)],
    );
    return split(rows, (row) => ({
      operationId: row.operation_id === '' ? null : row.operation_id,
      ...amounts(row),
    }));
  }

  /**
   * The `limit` accounts that used most in each period. A period is read as the whole calendar
   * years, quarters and months inside it (the roll-up table) plus the days at its edges (the
   * daily table): at most seven index range scans per period, and for two years a handful of rows
   * per account instead of 730. Parallel workers are off for these tables (their migration):
   * one backend aggregates the few 10,000s of index-only rows faster than workers start.
   */
  private async usageByAccount(
    period: Period,
    previous: Period,
    limit: number,
  ): Promise<BothPeriods<UsageRow>> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const columns = 'account_id, spent_credits, spends, refunded_credits, refunds';
    const branches = (current: boolean, of: Period) =>
      rollupRanges(of).map((range) =>
        range.granularity === 'day'
          ? `SELECT ${current} AS current, ${columns} FROM analytics_account_usage_daily WHERE day >= ${param(range.from)}::date AND day < ${param(range.to)}::date`
          : `SELECT ${current} AS current, ${columns} FROM analytics_account_usage_rollup WHERE granularity = ${param(range.granularity)} AND start >= ${param(range.from)}::date AND start < ${param(range.to)}::date`,
      );
    const all = [...branches(true, period), ...branches(false, previous)];
    const { rows } = await this.pool.query<Tagged<UsageRecord & { account_id: string }>>(
      `SELECT current, account_id, spent_credits, spends, refunded_credits, refunds FROM (
         SELECT current, account_id, ${USAGE_SUMS},
                row_number() OVER (PARTITION BY current ORDER BY ${NET} DESC, account_id) AS rank
         FROM (${all.join(' UNION ALL ')}) usage GROUP BY current, account_id
       ) ranked WHERE rank <= ${param(limit)} ORDER BY current DESC, rank`,
      params,
    );
    return split(rows, (row) => ({ accountId: row.account_id, ...amounts(row) }));
  }

  private async usageByMember(
    period: Period,
    previous: Period,
    limit: number,
  ): Promise<BothPeriods<UsageRow>> {
    const { rows } = await this.pool.query<
      Tagged<UsageRecord & { account_id: string; member: string }>
    >(
      `SELECT current, account_id, member, spent_credits, spends, refunded_credits, refunds FROM (
         SELECT day >= $2::date AS current, account_id, member, ${USAGE_SUMS},
                row_number() OVER (PARTITION BY day >= $2::date ORDER BY ${NET} DESC, account_id, member) AS rank
         FROM analytics_member_usage_daily WHERE day >= $1::date AND day < $3::date
         GROUP BY 1, account_id, member
       ) ranked WHERE rank <= $4 ORDER BY current DESC, rank`,
      [dayString(previous.from), dayString(period.from), dayString(period.to), limit],
    );
    return split(rows, (row) => ({
      accountId: row.account_id,
      member: row.member,
      ...amounts(row),
    }));
  }

  private async purchasesByDay(
    period: Period,
    previous: Period,
  ): Promise<BothPeriods<PurchaseRow>> {
    const rows = await this.purchaseRecords(period, previous, 'day');
    const byDay = new Map<string, PurchaseRecord[]>();
    for (const row of rows) {
      const list = byDay.get(row.k);
      if (list) list.push(row);
      else byDay.set(row.k, [row]);
    }
    const dayRow = (day: string): PurchaseRow => ({
      day,
      ...purchaseAmounts(byDay.get(day) ?? []),
    });
    return { data: daysOf(period).map(dayRow), previous: daysOf(previous).map(dayRow) };
  }

  private async purchasesByPack(
    period: Period,
    previous: Period,
  ): Promise<BothPeriods<PurchaseRow>> {
    const rows = await this.purchaseRecords(period, previous, 'pack_id');
    const byPack = (current: boolean) => {
      const packs = new Map<string, PurchaseRecord[]>();
      for (const row of rows) {
        if (row.current !== current) continue;
        const list = packs.get(row.k);
        if (list) list.push(row);
        else packs.set(row.k, [row]);
      }
      return [...packs].map(([packId, records]) => ({
        packId: packId === '' ? null : packId,
        ...purchaseAmounts(records),
      }));
    };
    return { data: byPack(true), previous: byPack(false) };
  }

  /** Both periods' purchase rows per day (or pack) and currency. */
  private async purchaseRecords(
    period: Period,
    previous: Period,
    groupKey: 'day' | 'pack_id',
  ): Promise<Array<Tagged<PurchaseRecord>>> {
    const { rows } = await this.pool.query<Tagged<PurchaseRecord>>(
      `SELECT day >= $2::date AS current, ${groupKey}::text AS k, currency,
              sum(purchases)::bigint AS purchases, sum(credits)::bigint AS credits,
              sum(revenue_minor)::bigint AS revenue_minor, sum(reversals)::bigint AS reversals,
              sum(reversed_credits)::bigint AS reversed_credits
       FROM analytics_purchases_daily WHERE day >= $1::date AND day < $3::date
       GROUP BY 1, ${groupKey}, currency ORDER BY 1, ${groupKey}, currency`,
      [dayString(previous.from), dayString(period.from), dayString(period.to)],
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
  let purchases = 0;
  let credits = 0;
  let reversals = 0;
  let reversedCredits = 0;
  for (const record of records) {
    purchases += record.purchases;
    credits += record.credits;
    reversals += record.reversals;
    reversedCredits += record.reversed_credits;
  }
  return { purchases, credits, revenue, reversals, reversedCredits };
}

export interface RollupRange {
  granularity: 'year' | 'quarter' | 'month' | 'day';
  /** First day (of a unit of that granularity) included, `YYYY-MM-DD`. */
  from: string;
  /** First day excluded. */
  to: string;
}

const COARSE_TO_FINE = ['year', 'quarter', 'month'] as const;
type Unit = (typeof COARSE_TO_FINE)[number];

/** The start of the unit holding `instant`. */
function floorTo(unit: Unit, instant: Date): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  if (unit === 'year') return new Date(Date.UTC(year, 0, 1));
  if (unit === 'quarter') return new Date(Date.UTC(year, month - (month % 3), 1));
  return new Date(Date.UTC(year, month, 1));
}

/** The first unit boundary at or after `instant`. */
function ceilTo(unit: Unit, instant: Date): Date {
  const floor = floorTo(unit, instant);
  if (floor.getTime() === instant.getTime()) return floor;
  const months = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
  return new Date(Date.UTC(floor.getUTCFullYear(), floor.getUTCMonth() + months, 1));
}

/**
 * A whole-day period as the largest units inside it, coarse to fine: the whole years, then the
 * quarters and months around them, then the days left at the edges. Pure.
 */
export function rollupRanges(
  period: Period,
  units: readonly Unit[] = COARSE_TO_FINE,
): RollupRange[] {
  const { from, to } = period;
  if (from.getTime() >= to.getTime()) return [];
  if (units.length === 0) return [{ granularity: 'day', from: dayString(from), to: dayString(to) }];
  const [unit, ...finer] = units;
  const lo = ceilTo(unit, from);
  const hi = floorTo(unit, to);
  if (lo.getTime() >= hi.getTime()) return rollupRanges(period, finer);
  return [
    ...rollupRanges({ from, to: lo }, finer),
    { granularity: unit, from: dayString(lo), to: dayString(hi) },
    ...rollupRanges({ from: hi, to }, finer),
  ];
}
