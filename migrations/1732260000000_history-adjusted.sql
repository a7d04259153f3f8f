-- Up Migration
-- An admin's "adjust down" (CreditsAdjusted, issue 18) is a history row of its own type, 'adjusted':
-- never a spend. The list is every type of projections/ledger/effects.ts TRANSACTION_TYPES.
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'adjusted', 'refund', 'expiry', 'reservation', 'release',
                  'reversal', 'reinstatement', 'transfer', 'closure', 'gift', 'member', 'subscription',
                  'auto_top_up'));

-- Down Migration
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal',
                  'reinstatement', 'transfer', 'closure', 'gift', 'member', 'subscription', 'auto_top_up'));
