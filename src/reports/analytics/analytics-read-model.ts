import { Inject, Injectable } from '@nestjs/common';
import {
  PURCHASE_DAY_ANSWERS,
  USAGE_DAY_ANSWERS,
  type DayAnswers,
} from '../../../projections/analytics/day-answers';
import { DATABASE, type Database } from '../../database/database';
import { dayString, type Period } from '../period';
import { signedCover } from './rollup-cover';
import { topAccountsStatement } from './top-accounts-sql';
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

/** The period's rows and the previous period's, as the API answers them. */
export interface BothPeriods<Row> {
  data: Row[];
  previous: Row[];
}

/**
 * The same, each row already JSON (the text `JSON.stringify` makes of it, byte for byte), in order:
 * the day questions' JSON comes from PostgreSQL (storedDays). Kept as a list, not
 * joined (AnalyticsJson says why).
 */
export interface BothPeriodsJson {
  data: readonly string[];
  previous: readonly string[];
}

function stringify<Row>(both: BothPeriods<Row>): BothPeriodsJson {
  return {
    data: both.data.map((row) => JSON.stringify(row)),
    previous: both.previous.map((row) => JSON.stringify(row)),
  };
}

/**
 * The days of both periods (previous.from ≤ day < period.to, $1 and $3), every one of them (a
 * chart's x axis: zeros included), and whether it is in the period ($2 = period.from).
 */
const DAYS = `(SELECT $1::date + n AS day FROM generate_series(0, $3::date - $1::date - 1) AS n) days`;

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
 *
 * Answers are JSON text (BothPeriodsJson). The day questions (a row per day of up to four years
 * of both periods, with its operations or currencies) have their JSON written in PostgreSQL — stored
 * per day by the projection — one text per day instead of thousands of rows to parse
 * into objects, sum, and stringify again in the one Node thread that serves every request (that
 * was most of their time).
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
  ): Promise<BothPeriodsJson> {
    switch (groupBy) {
      case 'day':
        return this.storedDays(USAGE_DAY_ANSWERS, period, previous);
      case 'operation':
        return this.usageByOperation(period, previous).then(stringify);
      case 'account':
        return this.usageByAccount(period, previous, limit, now).then(stringify);
      case 'member':
        return this.usageByMember(period, previous, limit).then(stringify);
    }
  }

  purchases(groupBy: PurchasesGroupBy, period: Period, previous: Period): Promise<BothPeriodsJson> {
    return groupBy === 'day'
      ? this.storedDays(PURCHASE_DAY_ANSWERS, period, previous)
      : this.purchasesByPack(period, previous).then(stringify);
  }

  private get pool() {
    return this.database.pool;
  }

  /** The three parameters of a day statement: previous.from, period.from, period.to. */
  private static dayBounds(period: Period, previous: Period): string[] {
    return [dayString(previous.from), dayString(period.from), dayString(period.to)];
  }

  /**
   * Every day of both periods, zeros included (a chart's x axis), as the UsageRow or PurchaseRow
   * JSON of groupBy=day: each the answer the analytics projection stored for it when its figures
   * changed (day-answers.ts). A day with none is the zero answer the same SQL function gives for a
   * day before any event (0001-01-01), with its date put in: one call per question (MATERIALIZED,
   * else PostgreSQL inlines it into every empty day), where a call per empty day cost ≈ 20 µs each
   * (a two-year question over an empty previous period: 15 of its 17 ms). A row per day, not one
   * text per period: PostgreSQL sends one 0.4 MB value several times slower than the same bytes in
   * a thousand rows (measured: 10–20 ms against 1.5–5 ms).
   */
  private async storedDays(
    { table, answerOf }: DayAnswers,
    period: Period,
    previous: Period,
  ): Promise<BothPeriodsJson> {
    const { rows } = await this.pool.query<{ current: boolean; json: string }>(
      `WITH zero AS MATERIALIZED (SELECT ${answerOf}('0001-01-01') AS json)
       SELECT days.day >= $2::date AS current,
              coalesce(j.json, replace(zero.json, '0001-01-01', days.day::text)) AS json
       FROM ${DAYS}
       CROSS JOIN zero
       LEFT JOIN ${table} j ON j.day = days.day
       ORDER BY days.day`,
      AnalyticsReadModel.dayBounds(period, previous),
    );
    return split(rows, (row) => row.json);
  }

  private async usageByOperation(period: Period, previous: Period): Promise<BothPeriods<UsageRow>> {
    const { rows } = await this.pool.query<Tagged<UsageRecord & { operation_id: string }>>(
      `SELECT day >= $2::date AS current, operation_id, ${USAGE_SUMS} FROM analytics_usage_daily
       WHERE day >= $1::date AND day < $3::date
       GROUP BY 1, operation_id ORDER BY 1, ${NET} DESC, operation_id COLLATE "C"`,
      AnalyticsReadModel.dayBounds(period, previous),
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
   * per account instead of 730. Each period is ranked on its own, then only its top accounts'
   * figures are summed (top-accounts-sql.ts).
   */
  private async usageByAccount(
    period: Period,
    previous: Period,
    limit: number,
    now: Date,
  ): Promise<BothPeriods<UsageRow>> {
    const { text, values } = topAccountsStatement(
      signedCover(period, now),
      signedCover(previous, now),
      limit,
    );
    const { rows } = await this.pool.query<Tagged<UsageRecord & { account_id: string }>>(
      text,
      values,
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

  /** Every pack (byte order; '' is none: null) with purchases in a period, per period. */
  private async purchasesByPack(
    period: Period,
    previous: Period,
  ): Promise<BothPeriods<PurchaseRow>> {
    const { rows } = await this.pool.query<Tagged<PurchaseRecord>>(
      `SELECT day >= $2::date AS current, pack_id AS k, currency,
              sum(purchases)::bigint AS purchases, sum(credits)::bigint AS credits,
              sum(revenue_minor)::bigint AS revenue_minor, sum(reversals)::bigint AS reversals,
              sum(reversed_credits)::bigint AS reversed_credits
       FROM analytics_purchases_daily WHERE day >= $1::date AND day < $3::date
       GROUP BY 1, pack_id, currency ORDER BY 1, pack_id COLLATE "C", currency COLLATE "C"`,
      AnalyticsReadModel.dayBounds(period, previous),
    );
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
