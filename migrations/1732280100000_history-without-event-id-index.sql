-- Up Migration
-- credit_transactions.event_id was UNIQUE: a b-tree over random UUIDs, so every projected event
-- wrote into a random leaf of it (and, after each checkpoint, a full-page image of that leaf).
-- Nothing reads history by event id, and it guarded nothing the rest does not: an event is unique
-- in the event store (events.event_id), a projection writes an event's row at its stream revision
-- (the primary key refuses a second row for it), and `ledger verify` compares every row's event id
-- with the streams. (docs/performance.md, "credit_transactions: one index fewer")
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_event_id_key;

-- Down Migration
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_event_id_key UNIQUE (event_id);
