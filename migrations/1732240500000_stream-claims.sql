-- Up Migration
-- Claims of the PostgreSQL event store (AppendOptions.claim in src/event-store/event-store.port.ts):
-- a value at most one stream ever holds, written in the same transaction as the append that makes
-- it, so a claim exists exactly when its append committed. The ledger claims each purchase's
-- payment reference (`purchase-ref-<provider>-<providerRef>`, src/ledger/purchase-ref.ts) so that
-- one payment credits one account (docs/architecture.md "One payment, one purchase").
CREATE TABLE stream_claims (
  claim       text PRIMARY KEY,
  stream_id   text NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT now()
);

-- Purchases recorded before this migration claim their references now, in log order: where the
-- same reference was credited on several accounts (possible before), the first one holds it and
-- the later ones stay in their streams as the history they are.
INSERT INTO stream_claims (claim, stream_id, claimed_at)
SELECT 'purchase-ref-' || (data->>'provider') || '-' || (data->>'providerRef'), stream_id, recorded_at
FROM events
WHERE type = 'CreditsPurchased' AND stream_id LIKE 'credits-%'
ORDER BY transaction_id, global_position
ON CONFLICT (claim) DO NOTHING;

-- Down Migration
DROP TABLE stream_claims;
