-- Up Migration
-- History filtered by date (`from`/`to` on occurred_at): the rows of the period are found through
-- this index instead of walking the account's history from its newest row (docs/performance.md
-- "History by date").
CREATE INDEX credit_transactions_by_time ON credit_transactions (account_id, occurred_at);

-- Down Migration
DROP INDEX credit_transactions_by_time;
