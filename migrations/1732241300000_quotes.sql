-- Up Migration
-- Quotes (PRODUCT.md §1; docs/pricing.md "Quotes and spending by operation"): what a quote
-- promised, so that any instance, after any restart, charges exactly that. Not a read model: it is
-- not derived from the streams, and a rebuild leaves it alone. Single use is not enforced here but
-- in the account's stream: the spend or hold that pays a quote names it in its event, and the
-- account's decider refuses a second one (optimistic concurrency on the stream, as for the balance).
CREATE TABLE quotes (
  quote_id           text PRIMARY KEY,
  account_id         text NOT NULL,
  -- The operation as priced: { operationId, quantity, dimensions, rateCardVersion }.
  operation          jsonb NOT NULL,
  -- The operation's name on that card: a spend's description when it gives none.
  operation_name     text NOT NULL,
  credits            bigint NOT NULL CHECK (credits >= 0),
  -- The operation's minimumAvailable on that card, checked again when the quote is paid.
  minimum_available  bigint,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL
);

-- What the retention sweep deletes: quotes long past their expiry.
CREATE INDEX quotes_by_expiry ON quotes (expires_at);

-- Down Migration
DROP TABLE quotes;
