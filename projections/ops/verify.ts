import type { Pool, PoolClient } from 'pg';
import type {
  EventStore,
  GlobalPosition,
  RecordedEvent,
} from '../../src/event-store/event-store.port';
import { evolve, initialState } from '../../src/ledger/decider';
import { STREAM_PREFIX, streamIdFor, accountIdFromStream } from '../../src/ledger/limits';
import type { CreditBlock, LedgerState } from '../../src/ledger/state';
import { toLedgerEvent } from '../../src/ledger/upcast';
import { AnalyticsVerifier } from '../analytics/verify-analytics';
import { TRANSACTION_TYPE_OF } from '../ledger/effects';
import { projectionNamed } from '../registry';
import { readCheckpoints } from '../runtime/checkpoints';

/** One way a read model differs from what the streams say. */
export interface Disagreement {
  projection: 'accounts' | 'transactions' | 'holds' | 'analytics';
  /** The account, or `*` for a ledger-wide analytics table. */
  accountId: string;
  /** What differs: `balance`, `block b1 remaining`, `transactions revision 4 balanceAfter`, `transaction count`, … */
  what: string;
  readModel: unknown;
  streams: unknown;
}

export interface VerifyReport {
  accounts: number;
  events: number;
  checkpoints: Record<string, GlobalPosition | null>;
  disagreements: Disagreement[];
}

export interface VerifyOptions {
  /** The read-model database. */
  pool: Pool;
  eventStore: EventStore;
  /** Every account that has a stream (see listAccountsFromLog / listAccountsFromPostgres). */
  listAccounts: () => Promise<string[]>;
  /** Called for each disagreement as it is found (printing). */
  onDisagreement?: (disagreement: Disagreement) => void;
  /** Accounts compared per round trip. Default 200. */
  chunkSize?: number;
  /** Streams read at once. Default 8. */
  concurrency?: number;
  /**
   * Check exactly the listed accounts (`POST /v1/verify` for one account): no account is added
   * from the read models, and the ledger-wide analytics tables, which sum every account, are not
   * compared. Default false: every account, as `ledger verify` does.
   */
  onlyListed?: boolean;
}

/**
 * `ledger verify` (LEDGER.md invariant 6 and "Audit"): folds every account stream with the domain
 * (initialState/evolve, the same code the write side uses) and compares the read models with it.
 *
 * It works while projectors keep running: the read models are read in one REPEATABLE READ snapshot,
 * and each projection is compared with the streams cut at that projection's checkpoint (a stream's
 * events after it are not expected yet). Compared:
 * - accounts: account_balances (balance, available, reserved, revision) and every credit_blocks row
 *   (category, credits, remaining, expiresAt, expired), both ways (missing and extra rows);
 * - transactions: the row count per account, and every row (event id, type, credits, balanceAfter,
 *   availableAfter, reservedAfter, reservedChange) against the fold after that event;
 * - holds (when that projection is registered): open_holds against the reservations the fold
 *   has open and not captured (a capture closes the hold in that read model), with their credits
 *   and deadlines;
 * - analytics (when registered): every analytics table against the pure effects folded over the
 *   streams (projections/analytics/verify-analytics.ts).
 * Balances are the events' own totals (balance = credits in − credits out, LEDGER.md invariant 2):
 * a block past its expiresAt counts until its CreditsExpired is recorded, as in the read model.
 */
export async function verifyReadModels(options: VerifyOptions): Promise<VerifyReport> {
  const client = await options.pool.connect();
  const report: VerifyReport = { accounts: 0, events: 0, checkpoints: {}, disagreements: [] };
  const note = (disagreement: Disagreement) => {
    report.disagreements.push(disagreement);
    options.onDisagreement?.(disagreement);
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const checkpoints = await readCheckpoints(client);
    const cuts: Cuts = {
      accounts: checkpoints.get('accounts')?.position ?? null,
      transactions: checkpoints.get('transactions')?.position ?? null,
      holds: projectionNamed('holds') ? (checkpoints.get('holds')?.position ?? null) : undefined,
      analytics: projectionNamed('analytics')
        ? (checkpoints.get('analytics')?.position ?? null)
        : undefined,
    };
    const analytics = cuts.analytics === undefined ? null : new AnalyticsVerifier();
    const noteAnalytics = (d: Omit<Disagreement, 'projection'>) =>
      note({ projection: 'analytics', ...d });
    report.checkpoints = {
      accounts: cuts.accounts,
      transactions: cuts.transactions,
      ...(cuts.holds === undefined ? {} : { holds: cuts.holds }),
      ...(cuts.analytics === undefined ? {} : { analytics: cuts.analytics }),
    };
    const accounts = new Set(await options.listAccounts());
    if (!options.onlyListed)
      for (const accountId of await accountsInReadModels(client, cuts.holds !== undefined))
        accounts.add(accountId);
    const ordered = [...accounts].sort();
    const chunkSize = options.chunkSize ?? 200;
    for (let start = 0; start < ordered.length; start += chunkSize) {
      const chunk = ordered.slice(start, start + chunkSize);
      const rows = await readModelRows(client, chunk, cuts.holds !== undefined);
      const streams = await mapLimited(chunk, options.concurrency ?? 8, (accountId) =>
        options.eventStore.readStream(streamIdFor(accountId)),
      );
      chunk.forEach((accountId, index) => {
        report.events += streams[index].length;
        compareAccount(accountId, streams[index], rows, cuts, options.eventStore, note);
        analytics?.addAccount(
          accountId,
          streams[index]
            .filter((event) => withinCut(options.eventStore, event, cuts.analytics))
            .map(toLedgerEvent),
        );
      });
      await analytics?.compareChunk(client, chunk, noteAnalytics);
    }
    if (!options.onlyListed) await analytics?.finish(client, noteAnalytics);
    report.accounts = ordered.length;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return report;
}

/**
 * The accounts with a stream, from the PostgreSQL event store's streams table. `atMost`: stop
 * after that many (the caller learns "more than it" from getting them all): a bounded check.
 */
export function listAccountsFromPostgres(pool: Pool, atMost?: number): () => Promise<string[]> {
  return async () => {
    const { rows } = await pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM streams WHERE starts_with(stream_id, $1) LIMIT $2`,
      [STREAM_PREFIX, atMost ?? null],
    );
    return rows.map((row) => accountIdFromStream(row.stream_id)!);
  };
}

/** Any event store: the accounts seen in the global log (a full scan, or until `atMost` are seen). */
export function listAccountsFromLog(
  eventStore: EventStore,
  atMost?: number,
): () => Promise<string[]> {
  return async () => {
    const seen = new Set<string>();
    let after: GlobalPosition | null = null;
    for (;;) {
      const read = await eventStore.readAll({ after, maxCount: 1000, streamPrefix: STREAM_PREFIX });
      for (const event of read.events) {
        seen.add(accountIdFromStream(event.streamId)!);
        if (atMost !== undefined && seen.size >= atMost) return [...seen];
      }
      if (read.lastPosition === null) return [...seen];
      after = read.lastPosition;
    }
  };
}

/** How `ledger verify` and `POST /v1/verify` list the accounts: the cheap way the store allows. */
export function listLedgerAccounts(
  eventStoreKind: string,
  pool: Pool,
  eventStore: EventStore,
  atMost?: number,
): () => Promise<string[]> {
  return eventStoreKind === 'postgres'
    ? listAccountsFromPostgres(pool, atMost)
    : listAccountsFromLog(eventStore, atMost);
}

async function accountsInReadModels(client: PoolClient, withHolds: boolean): Promise<string[]> {
  const { rows } = await client.query<{ account_id: string }>(
    `SELECT account_id FROM account_balances
     UNION SELECT DISTINCT account_id FROM credit_blocks
     UNION SELECT DISTINCT account_id FROM credit_transactions
     ${withHolds ? 'UNION SELECT DISTINCT account_id FROM open_holds' : ''}`,
  );
  return rows.map((row) => row.account_id);
}

interface Cuts {
  accounts: GlobalPosition | null;
  transactions: GlobalPosition | null;
  /** Undefined when no holds projection is registered. */
  holds: GlobalPosition | null | undefined;
  /** Undefined when no analytics projection is registered. */
  analytics: GlobalPosition | null | undefined;
}

/** Whether the event is at or before the projection's checkpoint (null: nothing projected). */
function withinCut(
  eventStore: EventStore,
  event: RecordedEvent,
  cut: GlobalPosition | null | undefined,
): boolean {
  return cut !== null && cut !== undefined && eventStore.comparePositions(event.position, cut) <= 0;
}

interface BalanceRecord {
  account_id: string;
  balance: number;
  available: number;
  reserved: number;
  revision: number;
}
interface BlockRecord {
  account_id: string;
  block_id: string;
  category: string;
  credits: number;
  remaining: number;
  expires_at: Date | null;
  expired: boolean;
}
interface TransactionRecord {
  account_id: string;
  revision: number;
  event_id: string;
  type: string;
  credits: number;
  balance_after: number;
  available_after: number;
  reserved_after: number;
  reserved_change: number;
}

interface HoldRecord {
  account_id: string;
  reservation_id: string;
  credits: number;
  expires_at: Date;
}

interface ChunkRows {
  balances: Map<string, BalanceRecord>;
  blocks: Map<string, BlockRecord[]>;
  transactions: Map<string, TransactionRecord[]>;
  holds: Map<string, HoldRecord[]>;
}

async function readModelRows(
  client: PoolClient,
  accountIds: string[],
  withHolds: boolean,
): Promise<ChunkRows> {
  const balances = await client.query<BalanceRecord>(
    `SELECT account_id, balance, available, reserved, revision FROM account_balances WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  const blocks = await client.query<BlockRecord>(
    `SELECT account_id, block_id, category, credits, remaining, expires_at, expired FROM credit_blocks WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  const transactions = await client.query<TransactionRecord>(
    `SELECT account_id, revision, event_id::text AS event_id, type, credits, balance_after, available_after, reserved_after, reserved_change
     FROM credit_transactions WHERE account_id = ANY($1::text[]) ORDER BY account_id, revision`,
    [accountIds],
  );
  const holds = withHolds
    ? (
        await client.query<HoldRecord>(
          `SELECT account_id, reservation_id, credits, expires_at FROM open_holds WHERE account_id = ANY($1::text[])`,
          [accountIds],
        )
      ).rows
    : [];
  return {
    balances: new Map(balances.rows.map((row) => [row.account_id, row])),
    blocks: groupBy(blocks.rows),
    transactions: groupBy(transactions.rows),
    holds: groupBy(holds),
  };
}

function groupBy<T extends { account_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.account_id);
    if (group) group.push(row);
    else groups.set(row.account_id, [row]);
  }
  return groups;
}

interface ExpectedRow {
  revision: number;
  eventId: string;
  type: string;
  credits: number;
  balanceAfter: number;
  availableAfter: number;
  reservedAfter: number;
  reservedChange: number;
}

interface AccountsExpectation {
  revision: number;
  balance: number;
  available: number;
  reserved: number;
  blocks: CreditBlock[];
}

function totalsOf(state: LedgerState): { balance: number; available: number; reserved: number } {
  return {
    balance: state.unexpiredRemaining + state.reserved,
    available: state.unexpiredRemaining,
    reserved: state.reserved,
  };
}

interface ExpectedHold {
  reservationId: string;
  credits: number;
  expiresAt: string;
}

function compareAccount(
  accountId: string,
  events: RecordedEvent[],
  rows: ChunkRows,
  cuts: Cuts,
  eventStore: EventStore,
  note: (disagreement: Disagreement) => void,
): void {
  const within = (event: RecordedEvent, cut: GlobalPosition | null | undefined) =>
    withinCut(eventStore, event, cut);
  const state = initialState();
  const expectedRows: ExpectedRow[] = [];
  let accounts: AccountsExpectation | null = null;
  let holds: ExpectedHold[] = [];
  const captured = new Set<string>();
  const held = new Map<string, number>();
  let before = totalsOf(state);
  for (const recorded of events) {
    const event = toLedgerEvent(recorded);
    evolve(state, event);
    if (event.type === 'CreditsReserved') held.set(event.data.reservationId, event.data.credits);
    if (event.type === 'CreditsSpent' && event.data.reservationId !== undefined)
      captured.add(event.data.reservationId);
    if (within(recorded, cuts.holds)) {
      holds = Object.values(state.extras.reservations)
        .filter((hold) => !captured.has(hold.reservationId))
        .map((hold) => ({
          reservationId: hold.reservationId,
          credits: held.get(hold.reservationId) ?? hold.credits,
          expiresAt: hold.expiresAt,
        }));
    }
    const after = totalsOf(state);
    if (within(recorded, cuts.transactions)) {
      expectedRows.push({
        revision: recorded.revision,
        eventId: recorded.eventId,
        type: TRANSACTION_TYPE_OF[event.type],
        credits: after.balance - before.balance,
        balanceAfter: after.balance,
        availableAfter: after.available,
        reservedAfter: after.reserved,
        reservedChange: after.reserved - before.reserved,
      });
    }
    if (within(recorded, cuts.accounts)) {
      accounts = {
        revision: recorded.revision,
        ...after,
        blocks: Object.values(state.blocks).map((block) => ({ ...block })),
      };
    }
    before = after;
  }
  compareBalances(accountId, accounts, rows, note);
  compareTransactions(accountId, expectedRows, rows.transactions.get(accountId) ?? [], note);
  if (cuts.holds !== undefined)
    compareHolds(accountId, holds, rows.holds.get(accountId) ?? [], note);
}

function compareHolds(
  accountId: string,
  expected: ExpectedHold[],
  rows: HoldRecord[],
  note: (d: Disagreement) => void,
): void {
  const differ = (what: string, readModel: unknown, streams: unknown) =>
    note({ projection: 'holds', accountId, what, readModel, streams });
  const stored = new Map(rows.map((row) => [row.reservation_id, row]));
  for (const hold of expected) {
    const row = stored.get(hold.reservationId);
    stored.delete(hold.reservationId);
    if (!row) {
      differ(`hold ${hold.reservationId}`, 'missing', {
        credits: hold.credits,
        expiresAt: hold.expiresAt,
      });
      continue;
    }
    if (row.credits !== hold.credits)
      differ(`hold ${hold.reservationId} credits`, row.credits, hold.credits);
    if (row.expires_at.getTime() !== Date.parse(hold.expiresAt))
      differ(`hold ${hold.reservationId} expiresAt`, row.expires_at.toISOString(), hold.expiresAt);
  }
  for (const extra of stored.keys()) differ(`hold ${extra}`, 'open', 'closed or unknown');
}

function compareBalances(
  accountId: string,
  expected: AccountsExpectation | null,
  rows: ChunkRows,
  note: (d: Disagreement) => void,
): void {
  const differ = (what: string, readModel: unknown, streams: unknown) =>
    note({ projection: 'accounts', accountId, what, readModel, streams });
  const row = rows.balances.get(accountId);
  if (!expected) {
    if (row) differ('account_balances row', row, 'no events up to the checkpoint');
    for (const block of rows.blocks.get(accountId) ?? [])
      differ(`block ${block.block_id}`, 'present', 'no such block');
    return;
  }
  if (!row) {
    differ('account_balances row', 'missing', {
      balance: expected.balance,
      revision: expected.revision,
    });
  } else {
    for (const field of ['balance', 'available', 'reserved', 'revision'] as const) {
      if (row[field] !== expected[field]) differ(field, row[field], expected[field]);
    }
  }
  const blockRows = new Map(
    (rows.blocks.get(accountId) ?? []).map((block) => [block.block_id, block]),
  );
  for (const block of expected.blocks) {
    const stored = blockRows.get(block.blockId);
    blockRows.delete(block.blockId);
    if (!stored) {
      differ(`block ${block.blockId}`, 'missing', { remaining: block.remaining });
      continue;
    }
    const expiresAt = stored.expires_at?.getTime() ?? null;
    const expectedExpiresAt = block.expiresAt === null ? null : Date.parse(block.expiresAt);
    if (stored.remaining !== block.remaining)
      differ(`block ${block.blockId} remaining`, stored.remaining, block.remaining);
    if (stored.credits !== block.credits)
      differ(`block ${block.blockId} credits`, stored.credits, block.credits);
    if (stored.category !== block.category)
      differ(`block ${block.blockId} category`, stored.category, block.category);
    if (stored.expired !== block.expired)
      differ(`block ${block.blockId} expired`, stored.expired, block.expired);
    if (expiresAt !== expectedExpiresAt)
      differ(
        `block ${block.blockId} expiresAt`,
        stored.expires_at?.toISOString() ?? null,
        block.expiresAt,
      );
  }
  for (const extra of blockRows.keys()) differ(`block ${extra}`, 'present', 'no such block');
}

function compareTransactions(
  accountId: string,
  expected: ExpectedRow[],
  rows: TransactionRecord[],
  note: (d: Disagreement) => void,
): void {
  const differ = (what: string, readModel: unknown, streams: unknown) =>
    note({ projection: 'transactions', accountId, what, readModel, streams });
  if (rows.length !== expected.length) differ('transaction count', rows.length, expected.length);
  const byRevision = new Map(rows.map((row) => [row.revision, row]));
  for (const want of expected) {
    const row = byRevision.get(want.revision);
    byRevision.delete(want.revision);
    if (!row) {
      differ(`transaction revision ${want.revision}`, 'missing', {
        type: want.type,
        credits: want.credits,
        balanceAfter: want.balanceAfter,
      });
      continue;
    }
    const actual: ExpectedRow = {
      revision: row.revision,
      eventId: row.event_id,
      type: row.type,
      credits: row.credits,
      balanceAfter: row.balance_after,
      availableAfter: row.available_after,
      reservedAfter: row.reserved_after,
      reservedChange: row.reserved_change,
    };
    for (const field of [
      'eventId',
      'type',
      'credits',
      'balanceAfter',
      'availableAfter',
      'reservedAfter',
      'reservedChange',
    ] as const) {
      if (actual[field] !== want[field])
        differ(`transaction revision ${want.revision} ${field}`, actual[field], want[field]);
    }
  }
  for (const extra of byRevision.keys())
    differ(`transaction revision ${extra}`, 'present', 'no such event up to the checkpoint');
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** One line per disagreement, for the terminal. */
export function formatDisagreement(disagreement: Disagreement): string {
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return `${disagreement.projection}  ${disagreement.accountId}  ${disagreement.what}: read model ${show(disagreement.readModel)}, streams ${show(disagreement.streams)}`;
}
