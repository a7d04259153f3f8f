-- Up Migration
-- Read models (ARCHITECTURE.md "Projections"; docs/consistency.md). Everything here is derived from
-- the event streams and can be truncated and replayed (`npm run ledger -- rebuild`).

-- One row per projection: where it is in the global log. Written in the same transaction as the
-- read-model changes of each batch, so a batch is applied exactly once.
CREATE TABLE projection_checkpoints (
  projection      text PRIMARY KEY,
  -- Opaque global position of the event store (only the adapter compares them); null = start.
  position        text,
  events_applied  bigint NOT NULL DEFAULT 0,
  -- recordedAt of the last event applied (lag metrics).
  last_event_at   timestamptz,
  rebuilt_at      timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Projection "accounts": balances as the events left them (an expired block counts until its
-- CreditsExpired is recorded; GET /balance is the clock-aware, strongly consistent answer).
CREATE TABLE account_balances (
  account_id  text PRIMARY KEY,
  balance     bigint NOT NULL,
  available   bigint NOT NULL,
  reserved    bigint NOT NULL,
  -- Stream revision of the last event applied.
  revision    bigint NOT NULL,
  -- occurredAt of the first and of the last event.
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  CHECK (balance = available + reserved)
);

-- Projection "accounts": one row per credit block (lot). Drives the expiry job.
CREATE TABLE credit_blocks (
  account_id   text NOT NULL,
  block_id     text NOT NULL,
  category     text NOT NULL CHECK (category IN ('paid', 'promotional')),
  credits      bigint NOT NULL,
  remaining    bigint NOT NULL CHECK (remaining >= 0),
  granted_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  -- True once a CreditsExpired was recorded for the block.
  expired      boolean NOT NULL DEFAULT false,
  purchase_id  text,
  cost_basis   jsonb,
  -- Stream revision of the last event that changed the block.
  revision     bigint NOT NULL,
  PRIMARY KEY (account_id, block_id)
);

-- What the expiry job scans: blocks that still hold credits, by deadline.
CREATE INDEX credit_blocks_due ON credit_blocks (expires_at)
  WHERE expires_at IS NOT NULL AND remaining > 0 AND NOT expired;

-- Projection "transactions": one row per ledger event (history, GET /v1/accounts/{id}/transactions).
-- credits = signed change of balance; reserved_change = signed change of reserved; so for every
-- account, ordered by revision: balance_after = previous balance_after + credits, and
-- reserved_after = previous reserved_after + reserved_change.
CREATE TABLE credit_transactions (
  account_id       text NOT NULL,
  revision         bigint NOT NULL,
  event_id         uuid NOT NULL UNIQUE,
  type             text NOT NULL CHECK (type IN ('purchase', 'grant', 'spend', 'refund', 'expiry', 'reservation', 'release', 'reversal')),
  credits          bigint NOT NULL,
  balance_after    bigint NOT NULL,
  available_after  bigint NOT NULL,
  reserved_after   bigint NOT NULL,
  reserved_change  bigint NOT NULL,
  description      text,
  reference        text,
  occurred_at      timestamptz NOT NULL,
  -- The caller's metadata (spend metadata); {} when none.
  metadata         jsonb NOT NULL,
  -- The event's own facts: ids, reasons, drawdown, expiry, amounts.
  detail           jsonb NOT NULL,
  PRIMARY KEY (account_id, revision),
  CHECK (balance_after = available_after + reserved_after)
);

-- History filtered by type, newest first.
CREATE INDEX credit_transactions_by_type ON credit_transactions (account_id, type, revision);

-- Down Migration
DROP TABLE credit_transactions;
DROP TABLE credit_blocks;
DROP TABLE account_balances;
DROP TABLE projection_checkpoints;
