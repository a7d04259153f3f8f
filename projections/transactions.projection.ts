import type { PoolClient } from 'pg';
import { CopyRows } from '../src/database/copy-rows';
import { NO_STREAM_REVISION } from '../src/event-store/event-store.port';
import { AccountFoldError, expectNextRevision } from './ledger/account-fold';
import {
  applyTotals,
  totalsChange,
  transactionFacts,
  ZERO_TOTALS,
  type Totals,
  type TransactionFacts,
} from './ledger/effects';
import { ProjectionIntegrityError, type Projection, type ProjectedEvent } from './projection';

/** A credit_transactions row, in memory. */
export interface TransactionRow extends TransactionFacts {
  accountId: string;
  revision: number;
  eventId: string;
  balanceAfter: number;
  availableAfter: number;
  reservedAfter: number;
  occurredAt: string;
}

interface RunningTotals extends Totals {
  revision: number;
}

/**
 * The history row of `event`, given the totals after the account's previous event (pure). Every
 * ledger event gets exactly one row, so the account's latest row always carries its running totals
 * and balanceAfter chains: balanceAfter = previous balanceAfter + credits.
 */
export function transactionRow(
  previous: RunningTotals | undefined,
  event: ProjectedEvent,
): TransactionRow {
  expectNextRevision(previous?.revision ?? NO_STREAM_REVISION, event);
  const after = applyTotals(previous ?? ZERO_TOTALS, totalsChange(event.event));
  return {
    accountId: event.accountId,
    revision: event.revision,
    eventId: event.eventId,
    ...transactionFacts(event.event),
    balanceAfter: after.balance,
    availableAfter: after.available,
    reservedAfter: after.reserved,
    occurredAt: event.event.metadata.occurredAt,
  };
}

/** credit_transactions: one row per ledger event, inserted (never updated) in log order. */
export const transactionsProjection: Projection = {
  name: 'transactions',
  tables: ['credit_transactions'],
  description: 'credit_transactions (history)',
  async apply(client, events) {
    if (events.length === 0) return;
    const running = await loadLatest(client, [...new Set(events.map((event) => event.accountId))]);
    const rows: TransactionRow[] = [];
    try {
      for (const event of events) {
        const row = transactionRow(running.get(event.accountId), event);
        running.set(event.accountId, {
          balance: row.balanceAfter,
          available: row.availableAfter,
          reserved: row.reservedAfter,
          revision: row.revision,
        });
        rows.push(row);
      }
    } catch (error) {
      if (error instanceof AccountFoldError)
        throw new ProjectionIntegrityError('transactions', error.message);
      throw error;
    }
    await insertRows(client, rows);
  },
};

async function loadLatest(
  client: PoolClient,
  accountIds: string[],
): Promise<Map<string, RunningTotals>> {
  const { rows } = await client.query<{
    account_id: string;
    revision: number;
    balance_after: number;
    available_after: number;
    reserved_after: number;
  }>(
    `SELECT t.account_id, t.revision, t.balance_after, t.available_after, t.reserved_after
     FROM unnest($1::text[]) AS a(account_id)
     CROSS JOIN LATERAL (
       SELECT * FROM credit_transactions c WHERE c.account_id = a.account_id ORDER BY c.revision DESC LIMIT 1
     ) t`,
    [accountIds],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        revision: row.revision,
        balance: row.balance_after,
        available: row.available_after,
        reserved: row.reserved_after,
      },
    ]),
  );
}

/** credit_transactions' columns as the batch's COPY sends them. */
const HISTORY_ROWS = new CopyRows<TransactionRow>(
  'credit_transactions',
  [
    'account_id',
    'revision',
    'event_id',
    'type',
    'credits',
    'balance_after',
    'available_after',
    'reserved_after',
    'reserved_change',
    'description',
    'reference',
    'occurred_at',
    'metadata',
    'operation',
    'detail',
  ],
  (row) => [
    row.accountId,
    row.revision,
    row.eventId,
    row.type,
    row.credits,
    row.balanceAfter,
    row.availableAfter,
    row.reservedAfter,
    row.reservedChange,
    row.description,
    row.reference,
    row.occurredAt,
    row.metadata,
    row.operation,
    row.detail,
  ],
);

async function insertRows(client: PoolClient, rows: TransactionRow[]): Promise<void> {
  // Plain inserts: a row that already exists (same account and revision) fails the whole batch
  // instead of being duplicated or silently skipped.
  await HISTORY_ROWS.insert(client, rows);
}
