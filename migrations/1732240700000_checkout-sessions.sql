-- Up Migration
-- Checkout Sessions per account, for support (GET /v1/accounts/{id}/checkout-sessions): created,
-- completed, expired or failed. Never ledger truth: credits come only from the ledger's purchases.
-- `status` only moves forward (open → complete → failed; open → expired), whatever order Stripe
-- delivers its events in: a late `completed` never hides a failure or an expiry.
CREATE TABLE checkout_sessions (
  session_id    text PRIMARY KEY,
  account_id    text NOT NULL,
  pack_id       text,
  amount_minor  bigint,
  currency      text,
  status        text NOT NULL CHECK (status IN ('open', 'complete', 'expired', 'failed')),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE INDEX checkout_sessions_account ON checkout_sessions (account_id, created_at DESC, session_id DESC);

-- Down Migration
DROP TABLE checkout_sessions;
