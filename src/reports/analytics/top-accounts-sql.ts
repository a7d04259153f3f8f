import type { SignedRange } from './rollup-cover';

/**
 * The statement of the account question (usage groupBy=account): the `limit` accounts that used
 * most in each of the two periods, each period read as its signed cover (rollup-cover.ts). Pure:
 * builds the text and its values.
 *
 * Each period is read twice, in one statement:
 * 1. the ranking: per account, the net credits and the count of spends and refunds, over every
 *    row of the cover (~10,000–20,000 index-only rows), hashed by account, top `limit` by a heap.
 *    Two float8 sums per row, not four: the hash aggregate is most of the question's time;
 * 2. the figures of those `limit` accounts only: the same ranges again, each an index-only scan
 *    restricted to their ids (a few hundred rows).
 * Each range is a branch of its own (a constant table and sign), not a join with an unnested
 * list of ranges as the SQL function analytics_top_accounts did: half the time, measured. The
 * statement runs through analytics_serial_top_accounts (migration 1732271000000), which only
 * executes it with parallel workers off: the planner otherwise puts a year's ranking under a
 * Parallel Append (the tables' parallel_workers = 0 does not cover that), and starting workers
 * made the question 2–4 times slower on a busy machine (measured: 25–60 ms serial, 160–230 ms
 * parallel, one year). A SET LOCAL would need a transaction: three round trips instead of one.
 *
 * Sums in float8: a running float8 sum is a plain value, where sum(bigint) keeps a 128-bit state
 * per group and ends in numeric; integers add exactly in float8 below 2^53. Counts are never
 * negative, so "no spend and no refund" is spends + refunds = 0: such an account (its sums came
 * back to zero) was not active in the period and is left out.
 */
export function topAccountsStatement(
  period: readonly SignedRange[],
  previous: readonly SignedRange[],
  limit: number,
): { text: string; values: [string, string[], number] } {
  // The function analytics_serial_top_accounts runs the text with $1 = the days, $2 = limit.
  const days: string[] = [];
  const bind = (value: string) => {
    days.push(value);
    return `$1[${days.length}]`;
  };
  // A range's rows, once per range: its bounds are bound once and used by both reads.
  const sources = (ranges: readonly SignedRange[]) =>
    ranges.map((range) => {
      const [from, to] = [bind(range.from), bind(range.to)];
      const where =
        range.granularity === 'day'
          ? `FROM analytics_account_usage_daily WHERE day >= ${from} AND day < ${to}`
          : `FROM analytics_account_usage_rollup WHERE granularity = '${range.granularity}' AND start >= ${from} AND start < ${to}`;
      return { where, minus: range.sign === -1 ? '-' : '' };
    });
  const ranking = (of: ReturnType<typeof sources>) =>
    of.length === 0
      ? `SELECT NULL::text AS account_id WHERE false`
      : `SELECT account_id FROM (${of
          .map(
            ({ where, minus }) =>
              `SELECT account_id, ${minus}(spent_credits - refunded_credits)::float8 AS net, ${minus}(spends + refunds)::float8 AS activity ${where}`,
          )
          .join(' UNION ALL ')}) rows
         GROUP BY account_id HAVING sum(activity) <> 0
         ORDER BY sum(net) DESC, account_id COLLATE "C" LIMIT $2`;
  const figures = (current: boolean, of: ReturnType<typeof sources>, top: string) =>
    of.length === 0
      ? `SELECT ${current}, NULL::text, 0::bigint, 0::bigint, 0::bigint, 0::bigint WHERE false`
      : `SELECT ${current} AS current, account_id, sum(spent_credits)::bigint AS spent_credits,
                sum(spends)::bigint AS spends, sum(refunded_credits)::bigint AS refunded_credits,
                sum(refunds)::bigint AS refunds
         FROM (${of
           .map(
             ({ where, minus }) =>
               `SELECT account_id, ${minus}spent_credits::float8 AS spent_credits, ${minus}spends::float8 AS spends,
                       ${minus}refunded_credits::float8 AS refunded_credits, ${minus}refunds::float8 AS refunds
                ${where} AND account_id = ANY (ARRAY(SELECT account_id FROM ${top}))`,
           )
           .join(' UNION ALL ')}) rows
         GROUP BY account_id`;
  const [ofPeriod, ofPrevious] = [sources(period), sources(previous)];
  const statement = `WITH period_top AS (${ranking(ofPeriod)}), previous_top AS (${ranking(ofPrevious)})
    ${figures(true, ofPeriod, 'period_top')}
    UNION ALL
    ${figures(false, ofPrevious, 'previous_top')}`;
  return {
    text: 'SELECT * FROM analytics_serial_top_accounts($1, $2::date[], $3)',
    values: [statement, days, limit],
  };
}
