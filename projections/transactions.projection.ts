import type { PoolClient } from 'pg';
import { AccountFoldError, expectNextRevision } from './ledger/account-fold';
import { applyTotals, totalsChange, transactionFacts, ZERO_TOTALS, type Totals, type TransactionFacts } from './ledger/effects';
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
export function transactionRow(previous: RunningTotals | undefined, event: ProjectedEvent): TransactionRow {
  expectNextRevision(previous?.revision ?? -1, event);
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
        running.set(event.accountId, { balance: row.balanceAfter, available: row.availableAfter, reserved: row.reservedAfter, revision: row.revision });
        rows.push(row);
      }
    } catch (error) {
      if (error instanceof AccountFoldError) throw new ProjectionIntegrityError('transactions', error.message);
      throw error;
    }
    await insertRows(client, rows);
  },
};

async function loadLatest(client: PoolClient, accountIds: string[]): Promise<Map<string, RunningTotals>> {
  const { rows } = await client.query<{ account_id: string; revision: number; balance_after: number; available_after: number; reserved_after: number }>(
    `SELECT t.account_id, t.revision, t.balance_after, t.available_after, t.reserved_after
     FROM unnest($1::text[]) AS a(account_id)
     CROSS JOIN LATERAL (
       SELECT * FROM credit_transactions c WHERE c.account_id = a.account_id ORDER BY c.revision DESC LIMIT 1
     ) t`,
    [accountIds],
  );
  return new Map(rows.map((row) => [row.account_id, {
    revision: row.revision, balance: row.balance_after, available: row.available_after, reserved: row.reserved_after,
  }]));
}

async function insertRows(client: PoolClient, rows: TransactionRow[]): Promise<void> {
  // A plain INSERT: a row that already exists (same account and revision, or same event) fails
  // the whole batch instead of being duplicated or silently skipped.
  await client.query(
    `INSERT INTO credit_transactions (account_id, revision, event_id, type, credits, balance_after, available_after, reserved_after,
                                      reserved_change, description, reference, occurred_at, metadata, detail)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
                          $9::bigint[], $10::text[], $11::text[], $12::timestamptz[], $13::jsonb[], $14::jsonb[])`,
    [
      rows.map((row) => row.accountId), rows.map((row) => row.revision), rows.map((row) => row.eventId), rows.map((row) => row.type),
      rows.map((row) => row.credits), rows.map((row) => row.balanceAfter), rows.map((row) => row.availableAfter),
      rows.map((row) => row.reservedAfter), rows.map((row) => row.reservedChange), rows.map((row) => row.description),
      rows.map((row) => row.reference), rows.map((row) => row.occurredAt), rows.map((row) => JSON.stringify(row.metadata)),
      rows.map((row) => JSON.stringify(row.detail)),
    ],
  );
}
