-- Up Migration
-- Every history row type of every feature (projections/ledger/effects.ts TRANSACTION_TYPES). The
-- programs, transfers and subscriptions were built side by side and each replaced this constraint
-- with its own list; this one, numbered after them all, is the list they make together.
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal',
                  'reinstatement', 'transfer', 'closure', 'gift', 'member', 'subscription', 'auto_top_up'));

-- Down Migration
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal',
                  'reinstatement', 'gift', 'member'));
