-- Up Migration
-- Programs (docs/programs.md): gift-code escrow and redemptions are history rows of type 'gift';
-- a pool's member changes (MemberSet, MemberRemoved) rows of type 'member' with 0 credits, so every
-- ledger event keeps its one row.
-- MERGE NOTE: another branch of the programs work may widen this list too; the constraint must end
-- up listing every type of projections/ledger/effects.ts TRANSACTION_TYPES.
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement', 'gift', 'member'));

-- Down Migration
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement'));
