-- Up Migration
-- The account question (GET /v1/analytics/usage?groupBy=account) is now one statement built per
-- period's cover (src/reports/analytics/top-accounts-sql.ts): a branch per range, ranked on two
-- float8 sums, then the figures of the top accounts only. It reads both tables by index-only
-- scans of a few 10,000s of rows at most: one backend does that in a few ms, while parallel
-- workers cost more to start than they save and, on a busy machine, made the slow tail (the
-- dropped function set max_parallel_workers_per_gather = 0 for the same reason).
ALTER TABLE analytics_account_usage_daily SET (parallel_workers = 0);
ALTER TABLE analytics_account_usage_rollup SET (parallel_workers = 0);
DROP FUNCTION analytics_top_accounts(text[], date[], date[], integer[], integer);

-- Runs the account question's statement, built by the service for the period's cover (its days
-- in `days`, referred to as $1[n], and `top` as $2), with parallel workers off: the planner puts a
-- year's ranking under a Parallel Append of index-only scans (which the tables' parallel_workers
-- does not cover), and starting workers made the question 2-4 times slower on a busy machine. A
-- function's SET is the way to set it for one statement without a transaction around it.
CREATE FUNCTION analytics_serial_top_accounts(statement text, days date[], top integer)
RETURNS TABLE (current boolean, account_id text, spent_credits bigint, spends bigint, refunded_credits bigint, refunds bigint)
LANGUAGE plpgsql STABLE
SET max_parallel_workers_per_gather = 0
AS $$
BEGIN
  RETURN QUERY EXECUTE statement USING days, top;
END
$$;

-- Down Migration
DROP FUNCTION analytics_serial_top_accounts(text, date[], integer);
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
ALTER TABLE analytics_account_usage_rollup RESET (parallel_workers);
ALTER TABLE analytics_account_usage_daily RESET (parallel_workers);
