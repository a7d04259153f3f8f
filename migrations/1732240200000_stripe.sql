-- Up Migration
-- Stripe payments (docs/stripe.md). None of this is ledger truth: credits live only in the event
-- streams. These tables are the audit trail of what Stripe sent, the account → Customer map, and the
-- routing of refunds and disputes (PaymentIntent → account) that Stripe's Charge events do not carry.

-- One Stripe Customer per account, created on the first checkout and reused afterwards.
CREATE TABLE stripe_customers (
  account_id   text PRIMARY KEY,
  customer_id  text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL
);

-- Every webhook event received with a valid signature, once per event id (Stripe redelivers the
-- same id). `outcome` is 'processing' while an attempt runs and 'failed' when the last attempt
-- failed (Stripe retries); anything else is final and a redelivery is answered without processing.
CREATE TABLE stripe_events (
  event_id           text PRIMARY KEY,
  type               text NOT NULL,
  livemode           boolean NOT NULL,
  api_version        text,
  -- `created` of the event at Stripe.
  stripe_created_at  timestamptz NOT NULL,
  payment_intent_id  text,
  account_id         text,
  outcome            text NOT NULL CHECK (outcome IN (
                       'processing', 'failed', 'credited', 'duplicate', 'awaiting_payment', 'payment_failed',
                       'anomaly', 'reversed', 'reversal_pending', 'ignored')),
  -- What was decided and why (credits, amounts, the anomaly's reason, …); never a secret.
  detail             jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_error         text,
  attempts           integer NOT NULL DEFAULT 1,
  first_received_at  timestamptz NOT NULL,
  last_received_at   timestamptz NOT NULL,
  processed_at       timestamptz
);

CREATE INDEX stripe_events_payment_intent ON stripe_events (payment_intent_id) WHERE payment_intent_id IS NOT NULL;
CREATE INDEX stripe_events_account ON stripe_events (account_id, first_received_at) WHERE account_id IS NOT NULL;
CREATE INDEX stripe_events_unsettled ON stripe_events (outcome) WHERE outcome IN ('processing', 'failed', 'anomaly');

-- One row per PaymentIntent we heard of: who bought what (written when the purchase is credited)
-- and the money that went back (the largest cumulative amount_refunded seen, and whether it was
-- disputed). A refund or dispute that arrives before its purchase is kept here and applied when the
-- purchase is credited; the ledger reverses only the difference to the cumulative target.
CREATE TABLE stripe_payments (
  payment_intent_id    text PRIMARY KEY,
  account_id           text,
  checkout_session_id  text,
  pack_id              text,
  credits              bigint CHECK (credits > 0),
  amount_minor         bigint,
  currency             text,
  credited             boolean NOT NULL DEFAULT false,
  credited_at          timestamptz,
  -- From charge.refunded: cumulative amount_refunded (max seen) of a charge of charge_amount_minor.
  refunded_minor       bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  charge_amount_minor  bigint CHECK (charge_amount_minor > 0),
  disputed             boolean NOT NULL DEFAULT false,
  -- The refund or dispute event the current reversal target comes from (correlation).
  reversal_event_id    text,
  updated_at           timestamptz NOT NULL
);

CREATE INDEX stripe_payments_account ON stripe_payments (account_id) WHERE account_id IS NOT NULL;

-- Down Migration
DROP TABLE stripe_payments;
DROP TABLE stripe_events;
DROP TABLE stripe_customers;
