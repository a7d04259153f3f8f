import type { PoolClient } from 'pg';
import { JsonRows } from '../../database/json-rows';
import type { StoredAlertSettings } from '../alerts/alert-settings';

type Queryable = Pick<PoolClient, 'query'>;

/** The reactor's fold of one account (table notification_accounts). */
export interface ReactorAccount {
  accountId: string;
  revision: number;
  available: number;
  reserved: number;
  lastTopUp: number | null;
}

export interface Contact {
  address: string;
  name: string | null;
}

export async function publishedFrom(client: Queryable): Promise<Date> {
  const { rows } = await client.query<{ published_from: Date }>(
    `SELECT published_from FROM notification_start`,
  );
  // The migration writes the row; without it, publish everything rather than nothing.
  return rows[0]?.published_from ?? new Date(0);
}

export async function loadAccounts(
  client: Queryable,
  accountIds: string[],
): Promise<Map<string, ReactorAccount>> {
  const { rows } = await client.query<{
    account_id: string;
    revision: number;
    available: number;
    reserved: number;
    last_top_up: number | null;
  }>(
    `SELECT account_id, revision, available, reserved, last_top_up
     FROM notification_accounts WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        accountId: row.account_id,
        revision: row.revision,
        available: row.available,
        reserved: row.reserved,
        lastTopUp: row.last_top_up,
      },
    ]),
  );
}

const ACCOUNT_ROWS = new JsonRows<ReactorAccount>(
  'account_id text, revision bigint, available bigint, reserved bigint, last_top_up bigint',
  (row) => [row.accountId, row.revision, row.available, row.reserved, row.lastTopUp],
);

export async function writeAccounts(client: Queryable, rows: ReactorAccount[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO notification_accounts (account_id, revision, available, reserved, last_top_up)
     SELECT account_id, revision, available, reserved, last_top_up FROM ${ACCOUNT_ROWS.from('$1')}
     ON CONFLICT (account_id) DO UPDATE SET revision = EXCLUDED.revision,
       available = EXCLUDED.available, reserved = EXCLUDED.reserved, last_top_up = EXCLUDED.last_top_up`,
    [ACCOUNT_ROWS.parameter(rows)],
  );
}

export async function loadSettings(
  client: Queryable,
  accountIds: string[],
): Promise<Map<string, StoredAlertSettings>> {
  const { rows } = await client.query<{
    account_id: string;
    low_balance: number[] | null;
    percent_of_last_top_up: number[] | null;
    expiring_days: number | null;
  }>(
    `SELECT account_id, low_balance, percent_of_last_top_up, expiring_days
     FROM alert_settings WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        lowBalance: row.low_balance?.map(Number) ?? null,
        percentOfLastTopUp: row.percent_of_last_top_up,
        expiringDays: row.expiring_days,
      },
    ]),
  );
}

/** Where each account's emails go: the profile's email, else the Stripe customer's. */
export async function loadContacts(
  client: Queryable,
  accountIds: string[],
): Promise<Map<string, Contact>> {
  const { rows } = await client.query<{ account_id: string; address: string; name: string | null }>(
    `SELECT account_id, coalesce(email, stripe_email) AS address, name FROM account_profiles
     WHERE account_id = ANY($1::text[]) AND coalesce(email, stripe_email) IS NOT NULL`,
    [accountIds],
  );
  return new Map(rows.map((row) => [row.account_id, { address: row.address, name: row.name }]));
}

export interface NoticeChanges {
  opened: Array<{
    accountId: string;
    blockId: string;
    expiresAt: string;
    noticeAt: Date;
    credits: number;
  }>;
  /** Net change of remaining credits per block (`account\0block`). */
  deltas: Map<string, { accountId: string; blockId: string; credits: number }>;
  expired: Array<{ accountId: string; blockId: string }>;
}

type OpenedNotice = NoticeChanges['opened'][number];
type BlockRef = NoticeChanges['expired'][number];
type BlockDelta = BlockRef & { credits: number };

const OPENED_ROWS = new JsonRows<OpenedNotice>(
  'account_id text, block_id text, expires_at timestamptz, notice_at timestamptz, remaining bigint',
  (open) => [
    open.accountId,
    open.blockId,
    open.expiresAt,
    open.noticeAt.toISOString(),
    open.credits,
  ],
);
const DELTA_ROWS = new JsonRows<BlockDelta>(
  'account_id text, block_id text, credits bigint',
  (delta) => [delta.accountId, delta.blockId, delta.credits],
);
const BLOCK_ROWS = new JsonRows<BlockRef>('account_id text, block_id text', (block) => [
  block.accountId,
  block.blockId,
]);

/** Keeps expiry_notices in step with the blocks (opens first, then changes, then expiries). */
export async function writeNoticeChanges(client: Queryable, changes: NoticeChanges): Promise<void> {
  if (changes.opened.length > 0) {
    await client.query(
      `INSERT INTO expiry_notices (account_id, block_id, expires_at, notice_at, remaining, status)
       SELECT account_id, block_id, expires_at, notice_at, remaining, 'pending' FROM ${OPENED_ROWS.from('$1')}
       ON CONFLICT (account_id, block_id) DO NOTHING`,
      [OPENED_ROWS.parameter(changes.opened)],
    );
  }
  const deltas = [...changes.deltas.values()].filter((delta) => delta.credits !== 0);
  if (deltas.length > 0) {
    // Blocks without an expiry have no row: they match nothing.
    await client.query(
      `UPDATE expiry_notices n SET remaining = greatest(0, n.remaining + r.credits)
       FROM ${DELTA_ROWS.from('$1')}
       WHERE n.account_id = r.account_id AND n.block_id = r.block_id`,
      [DELTA_ROWS.parameter(deltas)],
    );
  }
  if (changes.expired.length > 0) {
    await client.query(
      `UPDATE expiry_notices n SET status = 'void'
       FROM ${BLOCK_ROWS.from('$1')}
       WHERE n.account_id = r.account_id AND n.block_id = r.block_id AND n.status = 'pending'`,
      [BLOCK_ROWS.parameter(changes.expired)],
    );
  }
}
