import type { PoolClient } from 'pg';
import { JsonRows } from '../../src/database/json-rows';
import type { Projection } from '../projection';
import { PURCHASE_DAY_ANSWERS, USAGE_DAY_ANSWERS, type DayAnswers } from './day-answers';
import {
  foldAnalytics,
  key,
  referencedIds,
  type AnalyticsDelta,
  type PurchaseAmounts,
  type PurchaseRef,
  type SpendRef,
  type UsageAmounts,
} from './effects';

/**
 * The analytics read models (migrations/1732254000000_analytics.sql): a batch is folded in memory
 * by the pure effects (effects.ts) into one delta, then added to the stored rows (each changed row
 * written once). The projector stores the checkpoint in the same transaction, so a batch is added
 * exactly once and adding is safe.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  tables: [
    'analytics_usage_daily',
    'analytics_account_usage_daily',
    'analytics_account_usage_rollup',
    'analytics_member_usage_daily',
    'analytics_active_daily',
    USAGE_DAY_ANSWERS.table,
    'analytics_purchases_daily',
    PURCHASE_DAY_ANSWERS.table,
    'analytics_spend_refs',
    'analytics_purchase_refs',
  ],
  description: 'analytics_* (usage, active accounts and purchases per day; day answers)',
  async apply(client, events) {
    if (events.length === 0) return;
    const referenced = referencedIds(events);
    const spends = await loadSpendRefs(client, referenced.spends);
    const purchases = await loadPurchaseRefs(client, referenced.purchases);
    const delta = foldAnalytics(events, {
      spend: (accountId, spendId) => spends.get(key(accountId, spendId)),
      purchase: (accountId, purchaseId) => purchases.get(key(accountId, purchaseId)),
    });
    await writeDelta(client, delta);
    await refreshDayAnswers(client, delta);
  },
};

/**
 * Rewrites the stored day answers (usage, purchases) of every day the batch added to, from the
 * rows just written (day-answers.ts). A batch touches a day or two; a rebuild's batch a few more.
 */
async function refreshDayAnswers(client: PoolClient, delta: AnalyticsDelta): Promise<void> {
  await refreshDays(client, USAGE_DAY_ANSWERS, delta.usageByOperation);
  await refreshDays(client, PURCHASE_DAY_ANSWERS, delta.purchases);
}

/** The days of a delta's keys (`day|…`), each answer made again by its SQL function. */
async function refreshDays(
  client: PoolClient,
  { table, answerOf }: DayAnswers,
  rows: Map<string, unknown>,
): Promise<void> {
  const days = new Set<string>();
  for (const at of rows.keys()) days.add(at.slice(0, at.indexOf('|')));
  if (days.size === 0) return;
  await client.query(
    `INSERT INTO ${table} AS t (day, json)
     SELECT day, ${answerOf}(day) FROM unnest($1::date[]) AS days(day)
     ON CONFLICT (day) DO UPDATE SET json = EXCLUDED.json`,
    [[...days]],
  );
}

type Ids = Array<{ accountId: string; id: string }>;

async function loadSpendRefs(client: PoolClient, ids: Ids): Promise<Map<string, SpendRef>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<{
    account_id: string;
    spend_id: string;
    operation_id: string;
    member: string;
  }>(
    `SELECT s.account_id, s.spend_id, s.operation_id, s.member FROM analytics_spend_refs s
     JOIN unnest($1::text[], $2::text[]) AS k(account_id, spend_id) USING (account_id, spend_id)`,
    [ids.map((id) => id.accountId), ids.map((id) => id.id)],
  );
  return new Map(
    rows.map((row) => [
      key(row.account_id, row.spend_id),
      { operationId: row.operation_id, member: row.member },
    ]),
  );
}

async function loadPurchaseRefs(client: PoolClient, ids: Ids): Promise<Map<string, PurchaseRef>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<{
    account_id: string;
    purchase_id: string;
    pack_id: string;
    currency: string;
  }>(
    `SELECT p.account_id, p.purchase_id, p.pack_id, p.currency FROM analytics_purchase_refs p
     JOIN unnest($1::text[], $2::text[]) AS k(account_id, purchase_id) USING (account_id, purchase_id)`,
    [ids.map((id) => id.accountId), ids.map((id) => id.id)],
  );
  return new Map(
    rows.map((row) => [
      key(row.account_id, row.purchase_id),
      { packId: row.pack_id, currency: row.currency },
    ]),
  );
}

const USAGE_COLUMNS = 'spent_credits, spends, refunded_credits, refunds';
const ADD_USAGE = `spent_credits = t.spent_credits + EXCLUDED.spent_credits, spends = t.spends + EXCLUDED.spends,
  refunded_credits = t.refunded_credits + EXCLUDED.refunded_credits, refunds = t.refunds + EXCLUDED.refunds`;

/** A usage table: its key columns (the delta's `a|b|rest` keys, in order), then the amounts. */
interface UsageTable {
  name: string;
  keys: string[];
  rows: JsonRows<[string, UsageAmounts]>;
}

function usageTable(name: string, keyColumns: string): UsageTable {
  const keys = keyColumns.split(',').map((column) => column.trim().split(' ')[0]);
  return {
    name,
    keys,
    rows: new JsonRows(
      `${keyColumns}, spent_credits bigint, spends bigint, refunded_credits bigint, refunds bigint`,
      ([at, amounts]) => [
        ...splitUsageKey(at, keys.length),
        amounts.spentCredits,
        amounts.spends,
        amounts.refundedCredits,
        amounts.refunds,
      ],
    ),
  };
}

/** The last key part takes the rest: only it (a member id) could hold a `|`. */
function splitUsageKey(at: string, count: number): string[] {
  const parts = at.split('|');
  const head = parts.slice(0, count - 1);
  head.push(parts.slice(count - 1).join('|'));
  return head;
}

const USAGE_BY_OPERATION = usageTable('analytics_usage_daily', 'day date, operation_id text');
const USAGE_BY_ACCOUNT_ROLLUP = usageTable(
  'analytics_account_usage_rollup',
  'start date, account_id text, granularity text',
);
const USAGE_BY_MEMBER = usageTable(
  'analytics_member_usage_daily',
  'day date, account_id text, member text',
);
const USAGE_BY_ACCOUNT = usageTable('analytics_account_usage_daily', 'day date, account_id text');

const PURCHASE_ROWS = new JsonRows<[string, PurchaseAmounts]>(
  `day date, pack_id text, currency text, purchases bigint, credits bigint, revenue_minor bigint,
   reversals bigint, reversed_credits bigint`,
  ([at, amounts]) => [
    ...at.split('|'),
    amounts.purchases,
    amounts.credits,
    amounts.revenueMinor,
    amounts.reversals,
    amounts.reversedCredits,
  ],
);

const SPEND_REF_ROWS = new JsonRows<[string, SpendRef]>(
  'account_id text, spend_id text, operation_id text, member text',
  ([at, ref]) => [...splitRefKey(at), ref.operationId, ref.member],
);

const PURCHASE_REF_ROWS = new JsonRows<[string, PurchaseRef]>(
  'account_id text, purchase_id text, pack_id text, currency text',
  ([at, ref]) => [...splitRefKey(at), ref.packId, ref.currency],
);

/** Adds the delta to the tables. Rows travel as one json parameter per table (as in the other projections). */
async function writeDelta(client: PoolClient, delta: AnalyticsDelta): Promise<void> {
  await addUsageRows(client, USAGE_BY_OPERATION, delta.usageByOperation);
  await addUsageRows(client, USAGE_BY_ACCOUNT_ROLLUP, delta.usageByAccountRollup);
  await addUsageRows(client, USAGE_BY_MEMBER, delta.usageByMember);
  if (delta.usageByAccount.size > 0) {
    // An account becomes active on a day when its row for that day gets its first spend: after
    // the addition, its spends equal what this batch added (and that is more than 0).
    await client.query(
      `WITH input AS (
         SELECT * FROM ${USAGE_BY_ACCOUNT.rows.from('$1')}
       ), added AS (
         INSERT INTO ${USAGE_BY_ACCOUNT.name} AS t (day, account_id, ${USAGE_COLUMNS})
         SELECT day, account_id, ${USAGE_COLUMNS} FROM input
         ON CONFLICT (day, account_id) DO UPDATE SET ${ADD_USAGE}
         RETURNING t.day, t.account_id, t.spends
       ), activated AS (
         SELECT a.day, count(*) AS accounts FROM added a JOIN input i USING (day, account_id)
         WHERE i.spends > 0 AND a.spends = i.spends GROUP BY a.day
       )
       INSERT INTO analytics_active_daily AS t (day, active_accounts)
       SELECT day, accounts FROM activated
       ON CONFLICT (day) DO UPDATE SET active_accounts = t.active_accounts + EXCLUDED.active_accounts`,
      [USAGE_BY_ACCOUNT.rows.parameter(delta.usageByAccount)],
    );
  }
  if (delta.purchases.size > 0) {
    await client.query(
      `INSERT INTO analytics_purchases_daily AS t (day, pack_id, currency, purchases, credits, revenue_minor, reversals, reversed_credits)
       SELECT day, pack_id, currency, purchases, credits, revenue_minor, reversals, reversed_credits
       FROM ${PURCHASE_ROWS.from('$1')}
       ON CONFLICT (day, pack_id, currency) DO UPDATE SET
         purchases = t.purchases + EXCLUDED.purchases, credits = t.credits + EXCLUDED.credits,
         revenue_minor = t.revenue_minor + EXCLUDED.revenue_minor, reversals = t.reversals + EXCLUDED.reversals,
         reversed_credits = t.reversed_credits + EXCLUDED.reversed_credits`,
      [PURCHASE_ROWS.parameter(delta.purchases)],
    );
  }
  // Plain INSERTs: a spend or purchase id seen twice in one account is a broken log; fail the batch.
  if (delta.spendRefs.size > 0) {
    await client.query(
      `INSERT INTO analytics_spend_refs (account_id, spend_id, operation_id, member)
       SELECT account_id, spend_id, operation_id, member FROM ${SPEND_REF_ROWS.from('$1')}`,
      [SPEND_REF_ROWS.parameter(delta.spendRefs)],
    );
  }
  if (delta.purchaseRefs.size > 0) {
    await client.query(
      `INSERT INTO analytics_purchase_refs (account_id, purchase_id, pack_id, currency)
       SELECT account_id, purchase_id, pack_id, currency FROM ${PURCHASE_REF_ROWS.from('$1')}`,
      [PURCHASE_REF_ROWS.parameter(delta.purchaseRefs)],
    );
  }
}

/** `accountId|id`: the account id holds no `|`; the rest is the id, whatever it holds. */
function splitRefKey(at: string): [string, string] {
  const bar = at.indexOf('|');
  return [at.slice(0, bar), at.slice(bar + 1)];
}

async function addUsageRows(
  client: PoolClient,
  table: UsageTable,
  map: Map<string, UsageAmounts>,
): Promise<void> {
  if (map.size === 0) return;
  const keys = table.keys.join(', ');
  await client.query(
    `INSERT INTO ${table.name} AS t (${keys}, ${USAGE_COLUMNS})
     SELECT ${keys}, ${USAGE_COLUMNS} FROM ${table.rows.from('$1')}
     ON CONFLICT (${keys}) DO UPDATE SET ${ADD_USAGE}`,
    [table.rows.parameter(map)],
  );
}
