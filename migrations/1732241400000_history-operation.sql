-- Up Migration
-- A priced spend's or hold's operation on its history row (issue 13): { operationId, quantity,
-- dimensions, rateCardVersion }, null for rows of plain amounts. A column of its own rather than
-- inside detail, so that usage by operation can be grouped without unpacking every row's detail.
-- Existing rows keep null: no event written before this change names an operation.
ALTER TABLE credit_transactions ADD COLUMN operation jsonb;

-- Down Migration
ALTER TABLE credit_transactions DROP COLUMN operation;
