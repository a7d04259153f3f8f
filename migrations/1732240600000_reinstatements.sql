-- Up Migration
-- ReversalUndone (a dispute won, a refund that failed): its history row type is 'reinstatement'.
-- Stripe's per-payment facts gain the dispute and the refunds whose outcome can still undo a
-- reversal (docs/stripe.md "Reversals"); the ledger decides exactly-once from its own events.
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement'));

-- The dispute of a PaymentIntent (its reversal is named `dispute:<id>` in the ledger) and whether
-- it was won; refunds that failed or were canceled (refund id → amount in minor units): their
-- amount no longer counts towards the refunded total.
ALTER TABLE stripe_payments
  ADD COLUMN dispute_id text,
  ADD COLUMN dispute_won boolean NOT NULL DEFAULT false,
  ADD COLUMN failed_refunds jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_outcome_check;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_outcome_check CHECK (outcome IN (
  'processing', 'failed', 'credited', 'duplicate', 'awaiting_payment', 'payment_failed',
  'anomaly', 'reversed', 'reversal_pending', 'ignored', 'reinstated', 'session_expired'));

-- Down Migration
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_outcome_check;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_outcome_check CHECK (outcome IN (
  'processing', 'failed', 'credited', 'duplicate', 'awaiting_payment', 'payment_failed',
  'anomaly', 'reversed', 'reversal_pending', 'ignored'));
ALTER TABLE stripe_payments DROP COLUMN dispute_id, DROP COLUMN dispute_won, DROP COLUMN failed_refunds;
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal'));
