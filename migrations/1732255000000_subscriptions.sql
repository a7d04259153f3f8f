-- Up Migration
-- Subscriptions and auto top-up (docs/subscriptions.md). The ledger's new facts get history rows of
-- their own types (no credits: the grants and purchases beside them move the credits).
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement', 'subscription', 'auto_top_up'));

-- Stripe events of subscriptions and auto top-up: `granted` (a period's or an upgrade's credits),
-- `recorded` (a fact kept with nothing to grant: a cancellation, a plan change for later, a saved
-- payment method, a failed auto top-up).
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_outcome_check;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_outcome_check CHECK (outcome IN (
  'processing', 'failed', 'credited', 'duplicate', 'awaiting_payment', 'payment_failed',
  'anomaly', 'reversed', 'reversal_pending', 'ignored', 'reinstated', 'session_expired',
  'granted', 'recorded'));

-- The account's Stripe subscription as Stripe last reported it (GET /v1/accounts/{id}/subscription).
-- `stripe_updated_at`: the Stripe event's `created` that wrote the row; an older event never
-- overwrites a newer one (Stripe does not order deliveries).
CREATE TABLE stripe_subscriptions (
  subscription_id    text PRIMARY KEY,
  account_id         text NOT NULL,
  customer_id        text,
  plan_id            text,
  status             text NOT NULL,
  current_period_end timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  stripe_updated_at  timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX stripe_subscriptions_account ON stripe_subscriptions (account_id, stripe_updated_at DESC);

-- The payment method saved for off-session charges (a pack Checkout with saveForAutoTopUp).
CREATE TABLE stripe_payment_methods (
  account_id        text PRIMARY KEY,
  customer_id       text NOT NULL,
  payment_method_id text NOT NULL,
  saved_at          timestamptz NOT NULL
);

-- Auto top-up per account. `attempt_id`: the PaymentIntent in flight (at most one per account);
-- `check_requested`: the reactor saw the account change, the worker looks at its balance.
CREATE TABLE auto_top_up_settings (
  account_id           text PRIMARY KEY,
  enabled              boolean NOT NULL,
  threshold            bigint NOT NULL,
  pack_id              text NOT NULL,
  consecutive_failures integer NOT NULL DEFAULT 0,
  attempt_seq          integer NOT NULL DEFAULT 0,
  attempt_id           text,
  attempt_started_at   timestamptz,
  check_requested      boolean NOT NULL DEFAULT false,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX auto_top_up_checks ON auto_top_up_settings (account_id) WHERE check_requested;

-- Down Migration
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_outcome_check;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_outcome_check CHECK (outcome IN (
  'processing', 'failed', 'credited', 'duplicate', 'awaiting_payment', 'payment_failed',
  'anomaly', 'reversed', 'reversal_pending', 'ignored', 'reinstated', 'session_expired'));
DROP TABLE auto_top_up_settings;
DROP TABLE stripe_payment_methods;
DROP TABLE stripe_subscriptions;
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement'));
