-- Up Migration
-- Projection "holds": open reservations by deadline; drives the expiry worker (src/expiry/).
CREATE TABLE open_holds (
  account_id      text NOT NULL,
  reservation_id  text NOT NULL,
  credits         bigint NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, reservation_id)
);

CREATE INDEX open_holds_due ON open_holds (expires_at);

-- Down Migration
DROP TABLE open_holds;
