-- Up Migration
-- Gift codes (docs/programs.md "Gift codes"). Only the SHA-256 of a code is kept: a dump of this
-- table redeems nothing. `parts` is what a redemption grants (credits per category and expiry);
-- NULL while a funded mint waits for its escrow (status 'pending', never redeemable). Whether a
-- code was redeemed is decided by the ledger (the redemption's append claims `gift-code-<hash>`);
-- `redeemed_by` is a note for a quick 409 and for operators.
CREATE TABLE gift_codes (
  code_hash   text PRIMARY KEY,
  mint_id     text NOT NULL,
  credits     bigint NOT NULL CHECK (credits > 0),
  parts       jsonb,
  funded_by   text,
  status      text NOT NULL CHECK (status IN ('pending', 'active')),
  expires_at  timestamptz,
  created_at  timestamptz NOT NULL,
  redeemed_by text,
  redeemed_at timestamptz
);
CREATE INDEX gift_codes_mint ON gift_codes (mint_id);

-- Down Migration
DROP TABLE gift_codes;
