import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
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
    const [usage, active] = await Promise.all([
      this.pool.query<UsageRecord & { day: string; operation_id: string }>(
        `SELECT day::text AS day, operation_id, spent_credits, spends, refunded_credits, refunds
         FROM analytics_usage_daily WHERE day >= $1::date AND day < $2::date ORDER BY day, operation_id`,
        range,
      ),
      this.pool.query<{ day: string; active_accounts: number }>(
        `SELECT day::text AS day, active_accounts FROM analytics_active_daily WHERE day >= $1::date AND day < $2::date`,
        range,
      ),
    ]);
    const activeByDay = new Map(active.rows.map((row) => [row.day, row.active_accounts]));
    const byDay = new Map<string, Array<UsageRecord & { operation_id: string }>>();
    for (const row of usage.rows) {
      const list = byDay.get(row.day) ?? [];
      list.push(row);
      byDay.set(row.day, list);
    }
    return daysOf(period).map((day) => {
      const operations = byDay.get(day) ?? [];
      const total = operations.reduce<UsageRecord>(
        (sum, operation) => ({
          spent_credits: sum.spent_credits + operation.spent_credits,
          spends: sum.spends + operation.spends,
          refunded_credits: sum.refunded_credits + operation.refunded_credits,
          refunds: sum.refunds + operation.refunds,
        }),
        ZERO,
      );
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
   * The `limit` accounts that used most. The period is read as the whole calendar years, quarters
   * and months inside it (the roll-up table) plus the days at its edges (the daily table): at most
   * seven index range scans, and for two years a handful of rows per account instead of 730.
   */
  private async usageByAccount(period: Period, limit: number): Promise<UsageRow[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const columns = 'account_id, spent_credits, spends, refunded_credits, refunds';
    const branches = rollupRanges(period).map((range) =>
      range.granularity === 'day'
        ? `SELECT ${columns} FROM analytics_account_usage_daily WHERE day >= ${param(range.from)}::date AND day < ${param(range.to)}::date`
        : `SELECT ${columns} FROM analytics_account_usage_rollup WHERE granularity = ${param(range.granularity)} AND start >= ${param(range.from)}::date AND start < ${param(range.to)}::date`,
    );
    const rows = await this.withoutParallelWorkers((client) =>
      client.query<UsageRecord & { account_id: string }>(
        `SELECT account_id, ${USAGE_SUMS} FROM (${branches.join(' UNION ALL ')}) usage
         GROUP BY account_id ORDER BY ${NET} DESC, account_id LIMIT ${param(limit)}`,
        params,
      ),
    );
    return rows.map((row) => ({ accountId: row.account_id, ...amounts(row) }));
  }

  /**
   * Runs a query with parallel workers off (SET LOCAL, in a read-only transaction of its own): the
   * account question aggregates some 10,000s of index-only rows, which one backend does in a few
   * ms; starting workers costs more than it saves, and on a busy machine they make the slow tail.
   */
  private async withoutParallelWorkers<R extends QueryResultRow>(
    run: (client: PoolClient) => Promise<QueryResult<R>>,
  ): Promise<R[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
      const { rows } = await run(client);
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
