-- Up Migration
-- Notifications (PRODUCT.md §5; docs/notifications.md): alerts, outbound webhooks and emails.
-- Nothing here is a read model: the reactor "notifications" (a consumer of the global log with its
-- own checkpoint) writes its state and its outboxes in the same transaction as its checkpoint, and
-- no rebuild ever truncates them (that would send everything again).

-- When the reactor starts publishing. Events recorded before (the history of a ledger that existed
-- before this migration ran) are folded into the reactor's state silently: no webhook, no alert, no
-- email for years of old facts. One row, written once, here.
CREATE TABLE notification_start (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  published_from  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO notification_start DEFAULT VALUES;

-- The reactor's own fold of each account: what the alert rules need (no read of another
-- projection, which runs on its own checkpoint and could be behind or ahead).
CREATE TABLE notification_accounts (
  account_id   text PRIMARY KEY,
  revision     bigint NOT NULL,
  available    bigint NOT NULL,
  reserved     bigint NOT NULL,
  -- Credits of the last purchase or grant: the base of the percent thresholds; null = none yet.
  last_top_up  bigint
);

-- PUT /v1/accounts/{id}/alerts; a missing row or a null column means the configured default.
CREATE TABLE alert_settings (
  account_id               text PRIMARY KEY,
  low_balance              bigint[],
  percent_of_last_top_up   integer[],
  expiring_days            integer,
  updated_at               timestamptz NOT NULL
);

-- PUT /v1/accounts/{id}/profile, and the Stripe customer's email after a checkout (used when the
-- profile has none).
CREATE TABLE account_profiles (
  account_id    text PRIMARY KEY,
  email         text,
  name          text,
  stripe_email  text,
  updated_at    timestamptz NOT NULL
);

-- credits.expiring: one row per block that has an expiry, written by the reactor when the block
-- opens, its remaining credits kept by the reactor; the notice worker fires the due ones.
CREATE TABLE expiry_notices (
  account_id  text NOT NULL,
  block_id    text NOT NULL,
  expires_at  timestamptz NOT NULL,
  notice_at   timestamptz NOT NULL,
  remaining   bigint NOT NULL,
  status      text NOT NULL CHECK (status IN ('pending', 'sent', 'void')),
  PRIMARY KEY (account_id, block_id)
);
CREATE INDEX expiry_notices_due ON expiry_notices (notice_at) WHERE status = 'pending';

CREATE TABLE webhook_endpoints (
  id             text PRIMARY KEY,
  url            text NOT NULL,
  events         text[] NOT NULL,
  description    text,
  -- whsec_… as shown once at creation: the receiver needs it to verify, we need it to sign.
  secret         text NOT NULL,
  created_at     timestamptz NOT NULL,
  -- First failure of the current run of failures; null after a success.
  failing_since  timestamptz,
  disabled_at    timestamptz
);

-- The outbox: one message per fact or alert (its id is the webhook-id, the same on every attempt),
-- one delivery per subscribed endpoint.
CREATE TABLE notification_messages (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  account_id  text,
  -- The exact body sent (and signed): { type, timestamp, data }.
  body        text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id                text PRIMARY KEY,
  message_id        text NOT NULL REFERENCES notification_messages (id),
  endpoint_id       text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  status            text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  -- Position in WEBHOOK_RETRY_SCHEDULE (reset by a retry by hand).
  schedule_step     integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  -- Due time while pending; also the lease of an attempt in flight (a crash: sent again after it).
  next_attempt_at   timestamptz,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE email_outbox (
  id               text PRIMARY KEY,
  account_id       text NOT NULL,
  template         text NOT NULL,
  to_address       text NOT NULL,
  data             jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';

-- Down Migration
DROP TABLE email_outbox;
DROP TABLE webhook_deliveries;
DROP TABLE notification_messages;
DROP TABLE webhook_endpoints;
DROP TABLE expiry_notices;
DROP TABLE account_profiles;
DROP TABLE alert_settings;
DROP TABLE notification_accounts;
DROP TABLE notification_start;
