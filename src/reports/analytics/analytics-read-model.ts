import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { dayString, daysOf, type Period } from '../period';
import { signedCover } from './rollup-cover';
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
/**
 * The same sums in float8 for the top-N questions, which sum every account of the period: a
 * float8 running sum is a plain value, where sum(bigint) keeps a 128-bit state allocated per group
 * and ends in numeric (measured: most of the time of the question). Exact: integers add exactly
 * in float8 while every sum stays under 2^53 (9 × 10^15 credits).
 */
const FAST_SUMS = `sum(spent_credits::float8)::bigint AS spent_credits, sum(spends::float8)::bigint AS spends,
  sum(refunded_credits::float8)::bigint AS refunded_credits, sum(refunds::float8)::bigint AS refunds`;
const FAST_NET = `sum(spent_credits::float8) - sum(refunded_credits::float8)`;

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

/** Most used first; ties by id, in byte order as the statements sort them (UNION ALL keeps no order). */
function byUsage<R extends UsageRecord>(ids: (row: R) => string): (a: R, b: R) => number {
  return (a, b) => {
    const net = b.spent_credits - b.refunded_credits - (a.spent_credits - a.refunded_credits);
    if (net !== 0) return net;
    const [x, y] = [ids(a), ids(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
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
    /** Units after today hold nothing yet: cheap to subtract (rollup-cover.ts). */
    now: Date,
  ): Promise<BothPeriods<UsageRow>> {
    switch (groupBy) {
      case 'day':
        return this.usageByDay(period, previous);
      case 'operation':
        return this.usageByOperation(period, previous);
      case 'account':
        return this.usageByAccount(period, previous, limit, now);
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
      // Sorted by the date and byte order (COLLATE "C"): a locale's collation made the sort
      // most of the statement's time.
      `SELECT day::text AS day, operation_id, spent_credits, spends, refunded_credits, refunds, active_accounts
       FROM (SELECT day, operation_id, spent_credits, spends, refunded_credits, refunds,
                    NULL::bigint AS active_accounts
             FROM analytics_usage_daily WHERE day >= $1::date AND day < $2::date
             UNION ALL
             SELECT day, NULL, 0, 0, 0, 0, active_accounts
             FROM analytics_active_daily WHERE day >= $1::date AND day < $2::date) rows
       ORDER BY rows.day, rows.operation_id COLLATE "C"`,
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
       GROUP BY 1, operation_id ORDER BY 1, ${NET} DESC, operation_id COLLATE "C"`,
      [dayString(previous.from), dayString(period.from), dayString(period.to)],
    );
    return split(rows, (row) => ({
      operationId: row.operation_id === '' ? null : row.operation_id,
      ...amounts(row),
    }));
  }

  /**
   * The `limit` accounts that used most in each period. A period is read as calendar years,
   * quarters and months (the roll-up table) and days at its edges (the daily table), added or
   * subtracted, whichever reads fewest rows (rollup-cover.ts): for two years a handful of rows
   * per account instead of 730. Each period is summed and cut to its top `limit` on its own
   * (a hash of ~10,000 accounts and a top-N heap, not a sort of every account), by the SQL
   * function analytics_top_accounts (migration 1732262000000: float8 sums, no parallel workers).
   */
  private async usageByAccount(
    period: Period,
    previous: Period,
    limit: number,
    now: Date,
  ): Promise<BothPeriods<UsageRow>> {
    const ranges = (of: Period) => {
      const list = signedCover(of, now);
      return [
        list.map((range) => range.granularity),
        list.map((range) => range.from),
        list.map((range) => range.to),
        list.map((range) => range.sign),
      ];
    };
    const { rows } = await this.pool.query<Tagged<UsageRecord & { account_id: string }>>(
      `SELECT true AS current, * FROM analytics_top_accounts($1::text[], $2::date[], $3::date[], $4::int[], $9)
       UNION ALL
       SELECT false, * FROM analytics_top_accounts($5::text[], $6::date[], $7::date[], $8::int[], $9)`,
      [...ranges(period), ...ranges(previous), limit],
    );
    rows.sort(byUsage((row) => row.account_id));
    return split(rows, (row) => ({ accountId: row.account_id, ...amounts(row) }));
  }

  private async usageByMember(
    period: Period,
    previous: Period,
    limit: number,
  ): Promise<BothPeriods<UsageRow>> {
    const top = (current: boolean, from: string, to: string) =>
      `(SELECT ${current} AS current, account_id, member, ${FAST_SUMS} FROM analytics_member_usage_daily
        WHERE day >= ${from}::date AND day < ${to}::date GROUP BY account_id, member
        ORDER BY ${FAST_NET} DESC, account_id COLLATE "C", member COLLATE "C" LIMIT $4)`;
    const { rows } = await this.pool.query<
      Tagged<UsageRecord & { account_id: string; member: string }>
    >(`${top(true, '$2', '$3')} UNION ALL ${top(false, '$1', '$2')}`, [
      dayString(previous.from),
      dayString(period.from),
      dayString(period.to),
      limit,
    ]);
    rows.sort(byUsage((row) => `${row.account_id}\u0000${row.member}`));
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
       GROUP BY 1, ${groupKey}, currency ORDER BY 1, ${groupKey === 'day' ? 'day' : 'pack_id COLLATE "C"'}, currency COLLATE "C"`,
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
