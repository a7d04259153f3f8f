-- Up Migration
-- The account questions of GET /v1/analytics/usage (docs/reports.md "Consistency and speed")
-- aggregate a few 10,000s of index-only rows in one statement: one backend does it in a few ms,
-- while starting parallel workers cost more than they save and, on a busy machine, made the slow
-- tail. Off for these tables only (it replaces a SET LOCAL that cost three more round trips).
ALTER TABLE analytics_account_usage_daily SET (parallel_workers = 0);
ALTER TABLE analytics_account_usage_rollup SET (parallel_workers = 0);
ALTER TABLE analytics_member_usage_daily SET (parallel_workers = 0);

-- Down Migration
ALTER TABLE analytics_member_usage_daily RESET (parallel_workers);
ALTER TABLE analytics_account_usage_rollup RESET (parallel_workers);
ALTER TABLE analytics_account_usage_daily RESET (parallel_workers);
