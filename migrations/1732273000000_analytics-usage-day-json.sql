-- Up Migration
-- GET /v1/analytics/usage?groupBy=day answers a row per day of both periods (up to four years),
-- each with its operations. Building those rows from analytics_usage_daily on every request took
-- 10-21 ms of PostgreSQL for a year (p99 over 100 ms under the bench's load); reading the same
-- days' finished JSON takes well under a millisecond. So the analytics projection keeps each
-- day's answer here, written in the same transaction as the rows it is made of: it refreshes the
-- days a batch touched after adding the batch (projections/analytics/analytics.projection.ts).
-- Part of the "analytics" projection: truncated and replayed by `ledger rebuild analytics`,
-- compared with a fresh fold of the streams by `ledger verify`.
CREATE TABLE analytics_usage_day_json (
  day   date PRIMARY KEY,
  json  text NOT NULL
);

-- The day's UsageRow (groupBy=day) as JSON.stringify writes it, from the stored rows of that day:
-- sums over its operations, its active accounts, its operations in byte order of their ids
-- ('' is "none": null). A day with nothing stored gives its zeros. The one definition of that
-- text: the projection's refresh, this migration's backfill and the read of a day with no stored
-- row all call it.
CREATE FUNCTION analytics_usage_day_json_of(at date) RETURNS text
LANGUAGE sql STABLE
AS $$
  SELECT '{"day":"' || at::text
    || '","credits":' || coalesce(sum(spent_credits) - sum(refunded_credits), 0)::text
    || ',"spentCredits":' || coalesce(sum(spent_credits), 0)::text
    || ',"refundedCredits":' || coalesce(sum(refunded_credits), 0)::text
    || ',"spends":' || coalesce(sum(spends), 0)::text
    || ',"refunds":' || coalesce(sum(refunds), 0)::text
    || ',"activeAccounts":'
    || coalesce((SELECT active_accounts FROM analytics_active_daily WHERE day = at), 0)::text
    || ',"byOperation":['
    || coalesce(string_agg('{"operationId":'
                           || CASE WHEN operation_id = '' THEN 'null' ELSE to_json(operation_id)::text END
                           || ',"credits":' || (spent_credits - refunded_credits)::text
                           || ',"spends":' || spends::text || '}',
                           ',' ORDER BY operation_id COLLATE "C"), '')
    || ']}'
  FROM analytics_usage_daily WHERE day = at
$$;

INSERT INTO analytics_usage_day_json (day, json)
SELECT day, analytics_usage_day_json_of(day) FROM (SELECT DISTINCT day FROM analytics_usage_daily) AS days;

-- Down Migration
DROP FUNCTION analytics_usage_day_json_of(date);
DROP TABLE analytics_usage_day_json;
