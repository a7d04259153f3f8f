-- Up Migration
-- Snapshots of folded account states (src/accounts/write-path/account-snapshots.ts): a cache that bounds
-- the cold load of long streams. Never a source of truth: drop it and states fold from the streams.
CREATE TABLE account_snapshots (
  stream_id       text PRIMARY KEY,
  revision        bigint NOT NULL,
  -- LEDGER_STATE_VERSION of the code that wrote it; other versions are ignored.
  state_version   integer NOT NULL,
  -- The state as JSON text: a cache read whole, never queried inside, so no jsonb parsing.
  state           text NOT NULL,
  taken_at        timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE account_snapshots;
