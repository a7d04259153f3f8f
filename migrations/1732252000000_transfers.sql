-- Up Migration
-- Transfers (PRODUCT.md §2; docs/programs.md "Transfers"): the `transfers` projection's read model,
-- what GET /v1/transfers/{transferId} answers. Derived from the account streams (TransferSent on the
-- source, TransferReceived / TransferDeclined on the destination, TransferReturned on the source),
-- so `ledger rebuild transfers` recreates it. The streams, not this table, decide anything.
CREATE TABLE transfers (
  transfer_id      text PRIMARY KEY,
  from_account     text NOT NULL,
  to_account       text NOT NULL,
  credits          bigint NOT NULL CHECK (credits >= 0),
  -- 'transfer' (POST /v1/transfers) or 'merge' (a lead merged: transfer_id is the mergeId).
  purpose          text NOT NULL,
  reason           text,
  status           text NOT NULL CHECK (status IN ('pending', 'completed', 'returned')),
  -- Why the destination declined it ('account_closed', 'balance_limit'); null otherwise.
  declined_reason  text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);

-- Transfers still under way, oldest first: what an operator looks at when one seems stuck.
CREATE INDEX transfers_pending ON transfers (created_at) WHERE status = 'pending';

-- History rows of the programs' events: 'transfer' (TransferSent, TransferReceived,
-- TransferDeclined, TransferReturned) and 'closure' (AccountClosed, a lead merged).
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal',
                  'reinstatement', 'transfer', 'closure'));

-- Down Migration
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_type_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_type_check
  CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal', 'reinstatement'));
DROP TABLE transfers;
