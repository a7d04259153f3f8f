-- Up Migration
-- ReversalUndone (a dispute won, a refund that failed): its history row type is 'reinstatement'.
-- Stripe's per-payment facts gain the dispute and the refunds whose outcome can still undo a
-- reversal (docs/stripe.md "Reversals"); the ledger decides exactly-once from its own events.
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement'));

-- Down Migration
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal'));
