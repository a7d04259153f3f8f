-- Up Migration
-- Projection "analytics" (docs/reports.md): daily aggregates of the ledger for GET /v1/analytics/*.
-- Derived from the event streams like every read model: `ledger rebuild analytics` truncates and
-- replays them, `ledger verify` compares them with a fresh fold. All days are UTC dates.
-- operation_id, member and pack_id use '' for "none" (a primary key cannot hold null).

-- Usage per day and operation: the whole ledger's spends (captures included) and refunds.
-- A refund counts on the day it happened, for the operation of the spend it gives back.
CREATE TABLE analytics_usage_daily (
  day               date   NOT NULL,
  operation_id      text   NOT NULL,
  spent_credits     bigint NOT NULL,
  spends            bigint NOT NULL,
  refunded_credits  bigint NOT NULL,
  refunds           bigint NOT NULL,
  PRIMARY KEY (day, operation_id)
);

-- Usage per day and account (all members of a pool account together).
CREATE TABLE analytics_account_usage_daily (
  day               date   NOT NULL,
  account_id        text   NOT NULL,
  spent_credits     bigint NOT NULL,
  spends            bigint NOT NULL,
  refunded_credits  bigint NOT NULL,
  refunds           bigint NOT NULL,
  -- The amounts ride in the index: a period's rows are read by an index-only scan.
  PRIMARY KEY (day, account_id) INCLUDE (spent_credits, spends, refunded_credits, refunds)
);

-- The same per calendar month, quarter and year (granularity; start = its first day): a period is
-- read as the whole years, quarters and months inside it plus the days at its edges, so a
-- two-year question reads a few rows per account instead of 730.
CREATE TABLE analytics_account_usage_rollup (
  granularity       text   NOT NULL CHECK (granularity IN ('month', 'quarter', 'year')),
  start             date   NOT NULL,
  account_id        text   NOT NULL,
  spent_credits     bigint NOT NULL,
  spends            bigint NOT NULL,
  refunded_credits  bigint NOT NULL,
  refunds           bigint NOT NULL,
  PRIMARY KEY (granularity, start, account_id) INCLUDE (spent_credits, spends, refunded_credits, refunds)
);

-- Usage per day, pool account and member: only spends that name a member (PRODUCT.md §3).
CREATE TABLE analytics_member_usage_daily (
  day               date   NOT NULL,
  account_id        text   NOT NULL,
  member            text   NOT NULL,
  spent_credits     bigint NOT NULL,
  spends            bigint NOT NULL,
  refunded_credits  bigint NOT NULL,
  refunds           bigint NOT NULL,
  PRIMARY KEY (day, account_id, member)
);

-- Active accounts per day: accounts with at least one spend that day (counted when their
-- analytics_account_usage_daily row first gets a spend).
CREATE TABLE analytics_active_daily (
  day              date   PRIMARY KEY,
  active_accounts  bigint NOT NULL
);

-- Purchases per day, pack and currency; reversals (Stripe refunds, disputes) on the day they
-- happened, under the pack and currency of the purchase they reverse.
CREATE TABLE analytics_purchases_daily (
  day               date   NOT NULL,
  pack_id           text   NOT NULL,
  currency          text   NOT NULL,
  purchases         bigint NOT NULL,
  credits           bigint NOT NULL,
  revenue_minor     bigint NOT NULL,
  reversals         bigint NOT NULL,
  reversed_credits  bigint NOT NULL,
  PRIMARY KEY (day, pack_id, currency)
);

-- What a refund or a reversal needs to know about the event it refers to (another batch, maybe
-- years ago). Spends are remembered only when they name an operation or a member: a refund of a
-- spend not found here belongs to no operation and no member.
CREATE TABLE analytics_spend_refs (
  account_id    text NOT NULL,
  spend_id      text NOT NULL,
  operation_id  text NOT NULL,
  member        text NOT NULL,
  PRIMARY KEY (account_id, spend_id)
);

CREATE TABLE analytics_purchase_refs (
  account_id   text NOT NULL,
  purchase_id  text NOT NULL,
  pack_id      text NOT NULL,
  currency     text NOT NULL,
  PRIMARY KEY (account_id, purchase_id)
);

-- Exports (GET /v1/reports/*.csv) read credit_transactions by time over all accounts.
CREATE INDEX credit_transactions_by_occurred_at ON credit_transactions (occurred_at, account_id, revision);
CREATE INDEX credit_transactions_purchases_by_occurred_at ON credit_transactions (occurred_at, account_id, revision)
  WHERE type = 'purchase';

-- Down Migration
DROP INDEX credit_transactions_purchases_by_occurred_at;
DROP INDEX credit_transactions_by_occurred_at;
DROP TABLE analytics_purchase_refs;
DROP TABLE analytics_spend_refs;
DROP TABLE analytics_purchases_daily;
DROP TABLE analytics_active_daily;
DROP TABLE analytics_member_usage_daily;
DROP TABLE analytics_account_usage_rollup;
DROP TABLE analytics_account_usage_daily;
DROP TABLE analytics_usage_daily;
