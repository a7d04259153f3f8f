import type { ClientBase } from 'pg';
import type { LedgerEvent } from '../../src/ledger/events';
import {
  addFact,
  emptyDelta,
  foldAnalytics,
  key,
  NO_REFS,
  ZERO_PURCHASES,
  ZERO_USAGE,
  type AnalyticsDelta,
  type PurchaseAmounts,
  type UsageAmounts,
} from './effects';
import { PURCHASE_DAY_ANSWERS, USAGE_DAY_ANSWERS, type DayAnswers } from './day-answers';

type Queryable = Pick<ClientBase, 'query'>;

export interface AnalyticsDisagreement {
  /** The account, or `*` for the ledger-wide tables. */
  accountId: string;
  what: string;
  readModel: unknown;
  streams: unknown;
}

type Note = (disagreement: AnalyticsDisagreement) => void;

/**
 * `ledger verify` for the analytics projection: the streams (cut at the projection's checkpoint)
 * are folded with the pure effects, chunk by chunk of accounts; the per-account tables are
 * compared chunk by chunk, the ledger-wide ones (by operation, purchases, active accounts; small:
 * days × operations or packs) once every account has been folded. A row missing on one side
 * counts as zeros, so an all-zero row (a reversal undone) is no disagreement.
 */
export class AnalyticsVerifier {
  private chunk: AnalyticsDelta = emptyDelta();
  private readonly wide = emptyDelta();
  private readonly active = new Map<string, number>();

  /** One account's events up to the checkpoint, in order. */
  addAccount(accountId: string, events: readonly LedgerEvent[]): void {
    // A refund names a spend of its own account, so each account folds on its own.
    const own = foldAnalytics(
      events.map((event) => ({ accountId, event })),
      NO_REFS,
    );
    for (const [at, amounts] of own.usageByAccount) this.chunk.usageByAccount.set(at, amounts);
    for (const [at, amounts] of own.usageByAccountRollup)
      this.chunk.usageByAccountRollup.set(at, amounts);
    for (const [at, amounts] of own.usageByMember) this.chunk.usageByMember.set(at, amounts);
    for (const [at, amounts] of own.usageByOperation) {
      const [day, operationId] = at.split('|');
      addFact(this.wide, { kind: 'usage', day, accountId, operationId, member: '', amounts });
    }
    for (const [at, amounts] of own.purchases) {
      const [day, packId, currency] = at.split('|');
      addFact(this.wide, { kind: 'purchase', day, packId, currency, amounts });
    }
    for (const [at, amounts] of own.usageByAccount) {
      if (amounts.spends === 0) continue;
      const day = at.slice(0, 10);
      this.active.set(day, (this.active.get(day) ?? 0) + 1);
    }
  }

  /** Compares the per-account tables for the accounts added since the last call. */
  async compareChunk(db: Queryable, accountIds: string[], note: Note): Promise<void> {
    const expected = this.chunk;
    this.chunk = emptyDelta();
    const usage = (table: string, keys: string) =>
      db.query<Record<string, string | number>>(
        `SELECT ${keys}, spent_credits, spends, refunded_credits, refunds FROM ${table} WHERE account_id = ANY($1::text[])`,
        [accountIds],
      );
    const daily = await usage('analytics_account_usage_daily', `day::text AS k1, account_id AS k2`);
    const rollups = await usage(
      'analytics_account_usage_rollup',
      `start::text AS k1, account_id AS k2, granularity AS k3`,
    );
    const members = await usage(
      'analytics_member_usage_daily',
      `day::text AS k1, account_id AS k2, member AS k3`,
    );
    compareUsage('usage by day', expected.usageByAccount, usageMap(daily.rows), note);
    compareUsage('usage by', expected.usageByAccountRollup, usageMap(rollups.rows), note);
    compareUsage('usage by member', expected.usageByMember, usageMap(members.rows), note);
  }

  /** Compares the ledger-wide tables, once every account was added. */
  async finish(db: Queryable, note: Note): Promise<void> {
    const byOperation = await db.query<Record<string, string | number>>(
      `SELECT day::text AS k1, operation_id AS k2, spent_credits, spends, refunded_credits, refunds FROM analytics_usage_daily`,
    );
    compareAmounts(
      this.wide.usageByOperation,
      usageMap(byOperation.rows),
      ZERO_USAGE,
      (at, field, readModel, streams) =>
        note({ accountId: '*', what: `usage by operation ${at} ${field}`, readModel, streams }),
    );
    const purchases = await db.query<{
      day: string;
      pack_id: string;
      currency: string;
      purchases: number;
      credits: number;
      revenue_minor: number;
      reversals: number;
      reversed_credits: number;
    }>(
      `SELECT day::text AS day, pack_id, currency, purchases, credits, revenue_minor, reversals, reversed_credits FROM analytics_purchases_daily`,
    );
    const stored = new Map<string, PurchaseAmounts>(
      purchases.rows.map((row) => [
        key(row.day, row.pack_id, row.currency),
        {
          purchases: Number(row.purchases),
          credits: Number(row.credits),
          revenueMinor: Number(row.revenue_minor),
          reversals: Number(row.reversals),
          reversedCredits: Number(row.reversed_credits),
        },
      ]),
    );
    compareAmounts(this.wide.purchases, stored, ZERO_PURCHASES, (at, field, readModel, streams) =>
      note({ accountId: '*', what: `purchases ${at} ${field}`, readModel, streams }),
    );
    const active = await db.query<{ day: string; active_accounts: number }>(
      `SELECT day::text AS day, active_accounts FROM analytics_active_daily`,
    );
    const storedActive = new Map(active.rows.map((row) => [row.day, Number(row.active_accounts)]));
    for (const day of new Set([...this.active.keys(), ...storedActive.keys()])) {
      const want = this.active.get(day) ?? 0;
      const have = storedActive.get(day) ?? 0;
      if (want !== have)
        note({ accountId: '*', what: `active accounts ${day}`, readModel: have, streams: want });
    }
    await compareDayAnswers(
      db,
      USAGE_DAY_ANSWERS,
      'usage answer',
      usageDays(this.wide.usageByOperation, this.active),
      parseUsageDay,
      note,
    );
    await compareDayAnswers(
      db,
      PURCHASE_DAY_ANSWERS,
      'purchases answer',
      purchaseDays(this.wide.purchases),
      parsePurchaseDay,
      note,
    );
  }
}

/**
 * The stored day answers (day-answers.ts), read as the API serves them and compared figure by
 * figure with the fold's: a day the fold has figures on must have one, and no other day.
 */
async function compareDayAnswers<T extends object>(
  db: Queryable,
  { table }: DayAnswers,
  what: string,
  expected: Map<string, T>,
  parse: (json: string) => Partial<T>,
  note: Note,
): Promise<void> {
  const { rows } = await db.query<{ day: string; json: string }>(
    `SELECT day::text AS day, json FROM ${table}`,
  );
  const stored = new Map(rows.map((row) => [row.day, parse(row.json)]));
  for (const day of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(day);
    const have = stored.get(day);
    const differ = (field: string, readModel: unknown, streams: unknown) =>
      note({ accountId: '*', what: `${what} ${day} ${field}`, readModel, streams });
    if (!want || !have) {
      differ('row', have ? 'present' : 'missing', want ? 'figures' : 'none');
      continue;
    }
    for (const field of Object.keys(want) as Array<keyof T>)
      if (want[field] !== have[field]) differ(String(field), have[field], want[field]);
  }
}

/** In byte order of their keys (as PostgreSQL's COLLATE "C" sorts them in the stored answers). */
function inByteOrder<V>(entries: Iterable<[string, V]>): Array<[string, V]> {
  return [...entries].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** What a stored usage-by-day answer says, flattened for comparison (`byOperation` as text). */
interface UsageDayFigures {
  day: string;
  credits: number;
  spentCredits: number;
  refundedCredits: number;
  spends: number;
  refunds: number;
  activeAccounts: number;
  byOperation: string;
}

const operationsText = (
  operations: Array<{ operationId: string | null; credits: number; spends: number }>,
) => operations.map((o) => `${o.operationId ?? ''}:${o.credits}:${o.spends}`).join(' ');

/** A stored answer's figures; text that is not an answer compares as no figures at all. */
function parseUsageDay(json: string): Partial<UsageDayFigures> {
  try {
    const row = JSON.parse(json) as Omit<UsageDayFigures, 'byOperation'> & {
      byOperation: Array<{ operationId: string | null; credits: number; spends: number }>;
    };
    return { ...row, byOperation: operationsText(row.byOperation) };
  } catch {
    return {};
  }
}

/** The answers the streams give, per day with usage (operations in byte order of their ids). */
function usageDays(
  byOperation: Map<string, UsageAmounts>,
  active: Map<string, number>,
): Map<string, UsageDayFigures> {
  const operations = new Map<string, Array<[string, UsageAmounts]>>();
  for (const [at, amounts] of byOperation) {
    const bar = at.indexOf('|');
    const day = at.slice(0, bar);
    const list = operations.get(day) ?? [];
    list.push([at.slice(bar + 1), amounts]);
    operations.set(day, list);
  }
  const days = new Map<string, UsageDayFigures>();
  for (const [day, unsorted] of operations) {
    const list = inByteOrder(unsorted);
    const sum = (field: keyof UsageAmounts) => list.reduce((total, [, a]) => total + a[field], 0);
    days.set(day, {
      day,
      credits: sum('spentCredits') - sum('refundedCredits'),
      spentCredits: sum('spentCredits'),
      refundedCredits: sum('refundedCredits'),
      spends: sum('spends'),
      refunds: sum('refunds'),
      activeAccounts: active.get(day) ?? 0,
      byOperation: operationsText(
        list.map(([operationId, a]) => ({
          operationId,
          credits: a.spentCredits - a.refundedCredits,
          spends: a.spends,
        })),
      ),
    });
  }
  return days;
}

function usageMap(rows: Array<Record<string, string | number>>): Map<string, UsageAmounts> {
  return new Map(
    rows.map((row) => [
      [row.k1, row.k2, row.k3].filter((part) => part !== undefined).join('|'),
      {
        spentCredits: Number(row.spent_credits),
        spends: Number(row.spends),
        refundedCredits: Number(row.refunded_credits),
        refunds: Number(row.refunds),
      },
    ]),
  );
}

/** Per-account maps are keyed `period|accountId[|member]`: the disagreement names the account. */
function compareUsage(
  what: string,
  expected: Map<string, UsageAmounts>,
  stored: Map<string, UsageAmounts>,
  note: Note,
): void {
  compareAmounts(expected, stored, ZERO_USAGE, (at, field, readModel, streams) => {
    const [period, accountId, ...member] = at.split('|');
    note({
      accountId,
      what: [what, period, member.join('|'), field].filter(Boolean).join(' '),
      readModel,
      streams,
    });
  });
}

function compareAmounts<T extends object>(
  expected: Map<string, T>,
  stored: Map<string, T>,
  zero: Readonly<T>,
  differ: (at: string, field: string, readModel: unknown, streams: unknown) => void,
): void {
  for (const at of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(at) ?? zero;
    const have = stored.get(at) ?? zero;
    for (const field of Object.keys(zero) as Array<keyof T>) {
      if (want[field] !== have[field]) differ(at, String(field), have[field], want[field]);
    }
  }
}

/** What a stored purchases-by-day answer says, flattened for comparison (`revenue` as text). */
interface PurchaseDayFigures {
  day: string;
  purchases: number;
  credits: number;
  revenue: string;
  reversals: number;
  reversedCredits: number;
}

const revenueText = (revenue: Array<{ currency: string; amountMinor: number }>) =>
  revenue.map((r) => `${r.currency}:${r.amountMinor}`).join(' ');

function parsePurchaseDay(json: string): Partial<PurchaseDayFigures> {
  try {
    const row = JSON.parse(json) as Omit<PurchaseDayFigures, 'revenue'> & {
      revenue: Array<{ currency: string; amountMinor: number }>;
    };
    return { ...row, revenue: revenueText(row.revenue) };
  } catch {
    return {};
  }
}

/**
 * The purchases answers the streams give, per day with purchases or reversals: sums over packs and
 * currencies; revenue per currency (byte order) where that day had purchases or revenue in it.
 */
function purchaseDays(purchases: Map<string, PurchaseAmounts>): Map<string, PurchaseDayFigures> {
  // Summed over packs: the same facts under no pack (`day||currency`).
  const overPacks = emptyDelta();
  for (const [at, amounts] of purchases) {
    const [day, , currency] = at.split('|');
    addFact(overPacks, { kind: 'purchase', day, packId: '', currency, amounts });
  }
  const byDay = new Map<string, Map<string, PurchaseAmounts>>();
  for (const [at, amounts] of overPacks.purchases) {
    const [day, , currency] = at.split('|');
    const currencies = byDay.get(day) ?? new Map<string, PurchaseAmounts>();
    byDay.set(day, currencies.set(currency, amounts));
  }
  const days = new Map<string, PurchaseDayFigures>();
  for (const [day, currencies] of byDay) {
    const list = inByteOrder(currencies);
    const sum = (field: keyof PurchaseAmounts) =>
      list.reduce((total, [, a]) => total + a[field], 0);
    days.set(day, {
      day,
      purchases: sum('purchases'),
      credits: sum('credits'),
      revenue: revenueText(
        list
          .filter(([, a]) => a.purchases !== 0 || a.revenueMinor !== 0)
          .map(([currency, a]) => ({ currency, amountMinor: a.revenueMinor })),
      ),
      reversals: sum('reversals'),
      reversedCredits: sum('reversedCredits'),
    });
  }
  return days;
}
