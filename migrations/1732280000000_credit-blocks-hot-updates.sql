-- Up Migration
-- Every spend updates the remaining credits of the blocks it draws from. credit_blocks_due named
-- `remaining` in its predicate, which makes `remaining` an indexed column: PostgreSQL could never
-- update a block in place (a HOT update), and wrote a new entry into both indexes for every spend.
-- The predicate now reads `holds_credits`, which changes only when a block is emptied, refilled
-- or expired, so an ordinary spend's update touches no index. A fillfactor below 100 leaves room
-- on each page for the new row versions (docs/performance.md, "credit_blocks: updates in place").
-- The column is derived (stored, never written by the projection); rebuilding is unchanged.
ALTER TABLE credit_blocks
  ADD COLUMN holds_credits boolean GENERATED ALWAYS AS (remaining > 0 AND NOT expired) STORED;

DROP INDEX credit_blocks_due;

-- What the expiry job scans: blocks that still hold credits, by deadline.
CREATE INDEX credit_blocks_due ON credit_blocks (expires_at)
  WHERE expires_at IS NOT NULL AND holds_credits;

ALTER TABLE credit_blocks SET (fillfactor = 85);

-- Down Migration
ALTER TABLE credit_blocks RESET (fillfactor);
DROP INDEX credit_blocks_due;
CREATE INDEX credit_blocks_due ON credit_blocks (expires_at)
  WHERE expires_at IS NOT NULL AND remaining > 0 AND NOT expired;
ALTER TABLE credit_blocks DROP COLUMN holds_credits;
