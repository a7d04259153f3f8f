import type { CsvColumn } from './csv';

/**
 * The two exports (docs/reports.md "CSV columns"): the SQL that reads their rows from the
 * `credit_transactions` read model in a stable order, and their columns. Instants are ISO-8601
 * UTC with milliseconds, formatted by PostgreSQL (to_char), amounts are integers.
 */
export interface CsvReport<Row> {
  name: 'transactions' | 'purchases';
  sql: string;
  params: unknown[];
  columns: readonly CsvColumn<Row>[];
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_UTC})`;

export interface TransactionCsvRow {
  occurred_at: string;
  account_id: string;
  revision: number;
  id: string;
  type: string;
  credits: number;
  balance_after: number;
  available_after: number;
  reserved_after: number;
  reserved_change: number;
  operation_id: string | null;
  description: string | null;
  reference: string | null;
  metadata: string;
}

const TRANSACTION_COLUMNS: readonly CsvColumn<TransactionCsvRow>[] = [
  { header: 'occurredAt', kind: 'text', value: (row) => row.occurred_at },
  { header: 'accountId', kind: 'text', value: (row) => row.account_id },
  { header: 'revision', kind: 'integer', value: (row) => row.revision },
  { header: 'id', kind: 'text', value: (row) => row.id },
  { header: 'type', kind: 'text', value: (row) => row.type },
  { header: 'credits', kind: 'integer', value: (row) => row.credits },
  { header: 'balanceAfter', kind: 'integer', value: (row) => row.balance_after },
  { header: 'availableAfter', kind: 'integer', value: (row) => row.available_after },
  { header: 'reservedAfter', kind: 'integer', value: (row) => row.reserved_after },
  { header: 'reservedChange', kind: 'integer', value: (row) => row.reserved_change },
  { header: 'operationId', kind: 'text', value: (row) => row.operation_id },
  { header: 'description', kind: 'text', value: (row) => row.description },
  { header: 'reference', kind: 'text', value: (row) => row.reference },
  { header: 'metadata', kind: 'text', value: (row) => row.metadata },
];

/** One row per history row (GET …/transactions), oldest first. */
export function transactionsReport(
  from: Date,
  to: Date,
  accountId: string | undefined,
): CsvReport<TransactionCsvRow> {
  const params: unknown[] = [from, to];
  if (accountId !== undefined) params.push(accountId);
  return {
    name: 'transactions',
    sql: `SELECT ${iso('occurred_at')} AS occurred_at, account_id, revision, event_id::text AS id, type, credits,
                 balance_after, available_after, reserved_after, reserved_change,
                 operation->>'operationId' AS operation_id, description, reference, metadata::text AS metadata
          FROM credit_transactions
          WHERE occurred_at >= $1 AND occurred_at < $2 ${accountId === undefined ? '' : 'AND account_id = $3'}
          ORDER BY occurred_at, account_id, revision`,
    params,
    columns: TRANSACTION_COLUMNS,
  };
}

export interface PurchaseCsvRow {
  occurred_at: string;
  account_id: string;
  purchase_id: string;
  pack_id: string | null;
  credits: number;
  amount_minor: number;
  currency: string;
  provider: string;
  provider_ref: string | null;
  block_id: string;
  expires_at: string | null;
  id: string;
}

const PURCHASE_COLUMNS: readonly CsvColumn<PurchaseCsvRow>[] = [
  { header: 'occurredAt', kind: 'text', value: (row) => row.occurred_at },
  { header: 'accountId', kind: 'text', value: (row) => row.account_id },
  { header: 'purchaseId', kind: 'text', value: (row) => row.purchase_id },
  { header: 'packId', kind: 'text', value: (row) => row.pack_id },
  { header: 'credits', kind: 'integer', value: (row) => row.credits },
  { header: 'amountMinor', kind: 'integer', value: (row) => row.amount_minor },
  { header: 'currency', kind: 'text', value: (row) => row.currency },
  { header: 'provider', kind: 'text', value: (row) => row.provider },
  { header: 'providerRef', kind: 'text', value: (row) => row.provider_ref },
  { header: 'blockId', kind: 'text', value: (row) => row.block_id },
  { header: 'expiresAt', kind: 'text', value: (row) => row.expires_at },
  { header: 'id', kind: 'text', value: (row) => row.id },
];

/** One row per purchase (CreditsPurchased), oldest first; reversals are in transactions.csv. */
export function purchasesReport(from: Date, to: Date): CsvReport<PurchaseCsvRow> {
  return {
    name: 'purchases',
    sql: `SELECT ${iso('occurred_at')} AS occurred_at, account_id, detail->>'purchaseId' AS purchase_id,
                 detail->>'packId' AS pack_id, credits, (detail->'amountPaid'->>'minor')::bigint AS amount_minor,
                 detail->'amountPaid'->>'currency' AS currency, detail->>'provider' AS provider, reference AS provider_ref,
                 detail->>'blockId' AS block_id, ${iso(`(detail->>'expiresAt')::timestamptz`)} AS expires_at,
                 event_id::text AS id
          FROM credit_transactions
          WHERE type = 'purchase' AND occurred_at >= $1 AND occurred_at < $2
          ORDER BY occurred_at, account_id, revision`,
    params: [from, to],
    columns: PURCHASE_COLUMNS,
  };
}
