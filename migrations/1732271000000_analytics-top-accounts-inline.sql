-- Up Migration
-- The account question (GET /v1/analytics/usage?groupBy=account) is now one statement built per
-- period's cover (src/reports/analytics/top-accounts-sql.ts): a branch per range, ranked on two
-- float8 sums, then the figures of the top accounts only. It reads both tables by index-only
-- scans of a few 10,000s of rows at most: one backend does that in a few ms, while parallel
-- workers cost more to start than they save and, on a busy machine, made the slow tail (the
-- function below set max_parallel_workers_per_gather = 0 for the same reason).
ALTER TABLE analytics_account_usage_daily SET (parallel_workers = 0);
ALTER TABLE analytics_account_usage_rollup SET (parallel_workers = 0);
DROP FUNCTION analytics_top_accounts(text[], date[], date[], integer[], integer);

-- Down Migration
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
