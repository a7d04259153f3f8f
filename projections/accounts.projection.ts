import type { PoolClient } from 'pg';
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
 * ledger/account-fold.ts) and writes each changed row once (two statements).
 */
export const accountsProjection: Projection = {
  name: 'accounts',
  tables: ['account_balances', 'credit_blocks'],
  description: 'account_balances and credit_blocks',
  async apply(client, events) {
    if (events.length === 0) return;
    const accounts = await loadAccounts(client, unique(events.map((event) => event.accountId)));
    const blocks = await loadBlocks(client, referencedBlocks(events));
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
    await writeAccounts(
      client,
      [...changedAccounts].map((id) => accounts.get(id)!),
    );
    await writeBlocks(
      client,
      [...changedBlocks].map((key) => blocks.get(key)!),
    );
  },
};

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

const ACCOUNT_ROWS = new JsonRows<AccountRow>(
  'account_id text, balance bigint, available bigint, reserved bigint, revision bigint, created_at timestamptz, updated_at timestamptz',
  (row) => [
    row.accountId,
    row.balance,
    row.available,
    row.reserved,
    row.revision,
    row.createdAt,
    row.updatedAt,
  ],
);

async function writeAccounts(client: PoolClient, rows: AccountRow[]): Promise<void> {
  await client.query(
    `INSERT INTO account_balances (account_id, balance, available, reserved, revision, created_at, updated_at)
     SELECT account_id, balance, available, reserved, revision, created_at, updated_at
     FROM ${ACCOUNT_ROWS.from('$1')}
     ON CONFLICT (account_id) DO UPDATE SET
       balance = EXCLUDED.balance, available = EXCLUDED.available, reserved = EXCLUDED.reserved,
       revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
    [ACCOUNT_ROWS.parameter(rows)],
  );
}

const BLOCK_ROWS = new JsonRows<BlockRow>(
  `account_id text, block_id text, category text, credits bigint, remaining bigint, granted_at timestamptz,
   expires_at timestamptz, expired boolean, purchase_id text, cost_basis jsonb, revision bigint`,
  (row) => [
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
  ],
);

async function writeBlocks(client: PoolClient, rows: BlockRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO credit_blocks (account_id, block_id, category, credits, remaining, granted_at, expires_at, expired, purchase_id, cost_basis, revision)
     SELECT account_id, block_id, category, credits, remaining, granted_at, expires_at, expired, purchase_id, cost_basis, revision
     FROM ${BLOCK_ROWS.from('$1')}
     ON CONFLICT (account_id, block_id) DO UPDATE SET
       remaining = EXCLUDED.remaining, expired = EXCLUDED.expired, revision = EXCLUDED.revision`,
    [BLOCK_ROWS.parameter(rows)],
  );
}
