-- Up Migration
-- The account questions of GET /v1/analytics/usage (docs/reports.md "Consistency and speed")
-- aggregate a few 10,000s of index-only rows: one backend does it in a few ms, while parallel
-- workers cost more to start than they save and, on a busy machine, made the slow tail.

-- The top `top` accounts by net usage over a list of signed ranges (src/reports/analytics/
-- rollup-cover.ts): granularity 'day' reads the daily table, 'month' | 'quarter' | 'year' the
-- roll-ups (each range [from_day, to_day) by its start); sign -1 subtracts a range (a whole year
-- minus the months after the period reads fewer rows than its quarters and months). An account
-- whose sums come to no spend and no refund was not active in the period: left out.
-- One function so the whole question is one statement, with parallel workers off for it alone
-- (a SET LOCAL needs a transaction: three more round trips). Sums in float8: a running float8
-- sum is a plain value, where sum(bigint) keeps a 128-bit state per group and ends in numeric
-- (most of the question's time); integers add exactly in float8 below 2^53.
CREATE FUNCTION analytics_top_accounts(granularities text[], froms date[], tos date[], signs integer[], top integer)
RETURNS TABLE (account_id text, spent_credits bigint, spends bigint, refunded_credits bigint, refunds bigint)
LANGUAGE sql STABLE
SET max_parallel_workers_per_gather = 0
AS $$
  SELECT u.account_id, sum(u.spent_credits::float8 * r.sign)::bigint, sum(u.spends::float8 * r.sign)::bigint,
         sum(u.refunded_credits::float8 * r.sign)::bigint, sum(u.refunds::float8 * r.sign)::bigint
  FROM unnest(granularities, froms, tos, signs) AS r(granularity, from_day, to_day, sign)
  CROSS JOIN LATERAL (
    SELECT d.account_id, d.spent_credits, d.spends, d.refunded_credits, d.refunds
    FROM analytics_account_usage_daily d
    WHERE r.granularity = 'day' AND d.day >= r.from_day AND d.day < r.to_day
    UNION ALL
    SELECT o.account_id, o.spent_credits, o.spends, o.refunded_credits, o.refunds
    FROM analytics_account_usage_rollup o
    WHERE r.granularity <> 'day' AND o.granularity = r.granularity AND o.start >= r.from_day AND o.start < r.to_day
  ) u
  GROUP BY u.account_id
  HAVING sum(u.spends::float8 * r.sign) <> 0 OR sum(u.refunds::float8 * r.sign) <> 0
  ORDER BY sum(u.spent_credits::float8 * r.sign) - sum(u.refunded_credits::float8 * r.sign) DESC, u.account_id COLLATE "C"
  LIMIT top
$$;

-- The member question reads its small daily table by a sequential scan: no workers for it either.
ALTER TABLE analytics_member_usage_daily SET (parallel_workers = 0);

-- Down Migration
ALTER TABLE analytics_member_usage_daily RESET (parallel_workers);
DROP FUNCTION analytics_top_accounts(text[], date[], date[], integer[], integer);
