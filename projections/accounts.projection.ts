import type { PoolClient } from 'pg';
import { CopyRows } from '../src/database/copy-rows';
import { JsonRows } from '../src/database/json-rows';
import {
  applyBlockChanges,
  AccountFoldError,
  blockKey,
  nextAccountRow,
  type AccountRow,
  type BlockRow,
} from './ledger/account-fold';
import { blockIdsOf } from './ledger/effects';
import { ProjectionIntegrityError, type Projection, type ProjectedEvent } from './projection';

/**
 * account_balances and credit_blocks: the state of each account as its events left it. A batch
 * loads the rows it touches (two queries), folds its events over them in memory (pure, see
 * ledger/account-fold.ts) and writes each changed row once: rows it loaded by UPDATE, rows that
 * did not exist by COPY (at most four statements). Every row a batch touches is loaded first, and
 * the fold refuses to open a block it loaded, so a row not loaded is new; a COPY that meets one
 * anyway fails the batch on the primary key instead of overwriting it.
 */
export const accountsProjection: Projection = {
  name: 'accounts',
  tables: ['account_balances', 'credit_blocks'],
  description: 'account_balances and credit_blocks',
  async apply(client, events) {
    if (events.length === 0) return;
    const accounts = await loadAccounts(client, unique(events.map((event) => event.accountId)));
    const blocks = await loadBlocks(client, referencedBlocks(events));
    const storedAccounts = new Set(accounts.keys());
    const storedBlocks = new Set(blocks.keys());
    const changedAccounts = new Set<string>();
    const changedBlocks = new Set<string>();
    try {
      for (const event of events) {
        accounts.set(event.accountId, nextAccountRow(accounts.get(event.accountId), event));
        changedAccounts.add(event.accountId);
        for (const key of applyBlockChanges(blocks, event)) changedBlocks.add(key);
      }
    } catch (error) {
      if (error instanceof AccountFoldError)
        throw new ProjectionIntegrityError('accounts', error.message);
      throw error;
    }
    const [updatedAccounts, newAccounts] = split(changedAccounts, accounts, storedAccounts);
    const [updatedBlocks, newBlocks] = split(changedBlocks, blocks, storedBlocks);
    await updateAccounts(client, updatedAccounts);
    await ACCOUNT_INSERTS.insert(client, newAccounts);
    await updateBlocks(client, updatedBlocks);
    await BLOCK_INSERTS.insert(client, newBlocks);
  },
};

/** The changed rows, as [rows that were stored before the batch, rows that were not]. */
function split<Row>(
  changed: Set<string>,
  rows: Map<string, Row>,
  stored: Set<string>,
): [Row[], Row[]] {
  const updated: Row[] = [];
  const inserted: Row[] = [];
  for (const key of changed) (stored.has(key) ? updated : inserted).push(rows.get(key)!);
  return [updated, inserted];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function referencedBlocks(
  events: readonly ProjectedEvent[],
): Array<{ accountId: string; blockId: string }> {
  const seen = new Map<string, { accountId: string; blockId: string }>();
  for (const event of events) {
    for (const blockId of blockIdsOf(event.event))
      seen.set(blockKey(event.accountId, blockId), { accountId: event.accountId, blockId });
  }
  return [...seen.values()];
}

interface AccountRecord {
  account_id: string;
  balance: number;
  available: number;
  reserved: number;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

async function loadAccounts(
  client: PoolClient,
  accountIds: string[],
): Promise<Map<string, AccountRow>> {
  const { rows } = await client.query<AccountRecord>(
    `SELECT account_id, balance, available, reserved, revision, created_at, updated_at
     FROM account_balances WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        accountId: row.account_id,
        balance: row.balance,
        available: row.available,
        reserved: row.reserved,
        revision: row.revision,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      },
    ]),
  );
}

interface BlockRecord {
  account_id: string;
  block_id: string;
  category: BlockRow['category'];
  credits: number;
  remaining: number;
  granted_at: Date;
  expires_at: Date | null;
  expired: boolean;
  purchase_id: string | null;
  cost_basis: BlockRow['costBasis'];
  revision: number;
}

async function loadBlocks(
  client: PoolClient,
  keys: Array<{ accountId: string; blockId: string }>,
): Promise<Map<string, BlockRow>> {
  if (keys.length === 0) return new Map();
  const { rows } = await client.query<BlockRecord>(
    `SELECT account_id, block_id, category, credits, remaining, granted_at, expires_at, expired,
            purchase_id, cost_basis, revision
     FROM credit_blocks b
     JOIN unnest($1::text[], $2::text[]) AS k(account_id, block_id) USING (account_id, block_id)`,
    [keys.map((key) => key.accountId), keys.map((key) => key.blockId)],
  );
  return new Map(
    rows.map((row) => [
      blockKey(row.account_id, row.block_id),
      {
        accountId: row.account_id,
        blockId: row.block_id,
        category: row.category,
        credits: row.credits,
        remaining: row.remaining,
        grantedAt: row.granted_at.toISOString(),
        expiresAt: row.expires_at?.toISOString() ?? null,
        expired: row.expired,
        purchaseId: row.purchase_id,
        costBasis: row.cost_basis,
        revision: row.revision,
      },
    ]),
  );
}

const ACCOUNT_COLUMNS = [
  'account_id',
  'balance',
  'available',
  'reserved',
  'revision',
  'created_at',
  'updated_at',
] as const;

const ACCOUNT_INSERTS = new CopyRows<AccountRow>('account_balances', ACCOUNT_COLUMNS, (row) => [
  row.accountId,
  row.balance,
  row.available,
  row.reserved,
  row.revision,
  row.createdAt,
  row.updatedAt,
]);

/** A stored account changes in everything but its id and when it was created. */
const ACCOUNT_UPDATES = new JsonRows<AccountRow>(
  'account_id text, balance bigint, available bigint, reserved bigint, revision bigint, updated_at timestamptz',
  (row) => [row.accountId, row.balance, row.available, row.reserved, row.revision, row.updatedAt],
);

async function updateAccounts(client: PoolClient, rows: AccountRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE account_balances t SET
       balance = r.balance, available = r.available, reserved = r.reserved,
       revision = r.revision, updated_at = r.updated_at
     FROM ${ACCOUNT_UPDATES.from('$1')}
     WHERE t.account_id = r.account_id`,
    [ACCOUNT_UPDATES.parameter(rows)],
  );
}

const BLOCK_COLUMNS = [
  'account_id',
  'block_id',
  'category',
  'credits',
  'remaining',
  'granted_at',
  'expires_at',
  'expired',
  'purchase_id',
  'cost_basis',
  'revision',
] as const;

const BLOCK_INSERTS = new CopyRows<BlockRow>('credit_blocks', BLOCK_COLUMNS, (row) => [
  row.accountId,
  row.blockId,
  row.category,
  row.credits,
  row.remaining,
  row.grantedAt,
  row.expiresAt,
  row.expired,
  row.purchaseId,
  row.costBasis,
  row.revision,
]);

/** A stored block changes only in what it holds, whether it expired, and the revision. */
const BLOCK_UPDATES = new JsonRows<BlockRow>(
  'account_id text, block_id text, remaining bigint, expired boolean, revision bigint',
  (row) => [row.accountId, row.blockId, row.remaining, row.expired, row.revision],
);

async function updateBlocks(client: PoolClient, rows: BlockRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE credit_blocks t SET remaining = r.remaining, expired = r.expired, revision = r.revision
     FROM ${BLOCK_UPDATES.from('$1')}
     WHERE t.account_id = r.account_id AND t.block_id = r.block_id`,
    [BLOCK_UPDATES.parameter(rows)],
  );
}
