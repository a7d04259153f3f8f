-- Up Migration
-- The PostgreSQL event store (ARCHITECTURE.md "Event store port").
CREATE TABLE streams (
  stream_id   text PRIMARY KEY,
  revision    bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  revision        bigint NOT NULL,
  event_id        uuid NOT NULL UNIQUE,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, revision)
);

-- The global reader orders and checkpoints on (transaction_id, global_position).
CREATE INDEX events_global_order ON events (transaction_id, global_position);

-- Down Migration
DROP TABLE events;
DROP TABLE streams;
