-- Up Migration
-- What a Checkout Session buys, recorded when it is created (docs/stripe.md "The pack catalog"):
-- the credits it grants (the pack's credits + bonus), the bonus part, and the revision of the
-- credit-pack catalog they come from. The webhook credits the pack as it was at that revision (the
-- same revision travels in the session's signed metadata), so an edit to the pack between checkout
-- and payment never changes what the buyer gets. Null for sessions created before the catalog was
-- editable, and for rows a webhook wrote first (the checkout fills them in).
ALTER TABLE checkout_sessions
  ADD COLUMN credits          bigint,
  ADD COLUMN bonus_credits    bigint,
  ADD COLUMN catalog_revision integer;

-- Down Migration
ALTER TABLE checkout_sessions
  DROP COLUMN credits,
  DROP COLUMN bonus_credits,
  DROP COLUMN catalog_revision;
