-- Up Migration
-- The console's account search (GET /v1/accounts, src/accounts/search): a prefix of accountId,
-- ordered by accountId in byte order ("C"), keyset-paged. The primary key's index follows the
-- database's collation, which neither serves LIKE 'prefix%' nor a byte-order keyset; this one does.
CREATE INDEX account_balances_account_id_c ON account_balances (account_id COLLATE "C");

-- Down Migration
DROP INDEX account_balances_account_id_c;
