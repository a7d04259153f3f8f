import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import type { OperationRecord } from '../../src/ledger/events';
import type { TransactionType } from '../ledger/effects';

type Queryable = Pick<ClientBase, 'query'>;

/** A history row as API.md shows it (plus availableAfter, reservedAfter, reservedChange, detail). */
export interface HistoryRow {
  /** The event's id: unique, and stable across rebuilds. */
  id: string;
  type: TransactionType;
  /** Signed change of balance: + in, − out; 0 for a reservation or a release (they move credits between available and reserved). */
  credits: number;
  balanceAfter: number;
  availableAfter: number;
  reservedAfter: number;
  /** Signed change of reserved: + for a reservation, − for a release or a capture (a spend with a reservationId). */
  reservedChange: number;
  description: string | null;
  reference: string | null;
  occurredAt: string;
  /** The account's stream revision of the event. */
  revision: number;
  metadata: Record<string, string>;
  /** What a priced spend or hold paid for (PRODUCT.md §1); null for plain amounts. */
  operation: OperationRecord | null;
  detail: Record<string, unknown>;
}

export interface HistoryQuery {
  accountId: string;
  /** 1–200. */
  limit: number;
  /** From the previous page's nextCursor. */
  cursor?: string;
  /** Only these types (null: all). */
  types: TransactionType[] | null;
  /** occurredAt ≥ from (inclusive). */
  from: Date | null;
  /** occurredAt < to (exclusive). */
  to: Date | null;
}

export interface HistoryPage {
  data: HistoryRow[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/**
 * The cursor is base64url JSON `{ v: 1, r: <revision>, q: <digest> }`: the page continues with the
 * account's events strictly older than revision r (keyset pagination on the stream revision, so
 * rows arriving meanwhile, always newer, never shift a page). q binds the cursor to its account and
 * filters, so a cursor reused with other parameters is refused rather than silently misread.
 */
interface CursorBody {
  v: 1;
  r: number;
  q: string;
}

function queryDigest(query: HistoryQuery): string {
  const parts = [
    query.accountId,
    (query.types ?? []).slice().sort().join(','),
    query.from?.toISOString() ?? '',
    query.to?.toISOString() ?? '',
  ];
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 16);
}

export function encodeCursor(query: HistoryQuery, revision: number): string {
  const body: CursorBody = { v: 1, r: revision, q: queryDigest(query) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The revision the page starts below. Throws InvalidCursorError. */
export function decodeCursor(query: HistoryQuery, cursor: string): number {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor))
    throw new InvalidCursorError('is not a cursor returned by this API');
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw new InvalidCursorError('is not a cursor returned by this API');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    body.v !== 1 ||
    !Number.isSafeInteger(body.r) ||
    (body.r as number) < 0 ||
    typeof body.q !== 'string'
  ) {
    throw new InvalidCursorError('is not a cursor returned by this API');
  }
  if (body.q !== queryDigest(query))
    throw new InvalidCursorError('belongs to another account or other filters (type, from, to)');
  return body.r as number;
}

interface HistoryRecord {
  event_id: string;
  type: TransactionType;
  credits: number;
  balance_after: number;
  available_after: number;
  reserved_after: number;
  reserved_change: number;
  description: string | null;
  reference: string | null;
  occurred_at: Date;
  revision: number;
  metadata: Record<string, string>;
  operation: OperationRecord | null;
  detail: Record<string, unknown>;
}

/** One page of an account's history, newest first. Throws InvalidCursorError. */
export async function queryHistory(db: Queryable, query: HistoryQuery): Promise<HistoryPage> {
  const before = query.cursor === undefined ? null : decodeCursor(query, query.cursor);
  const params: unknown[] = [query.accountId];
  const where = ['account_id = $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (before !== null) add((p) => `revision < ${p}`, before);
  if (query.types) add((p) => `type = ANY(${p}::text[])`, query.types);
  if (query.from) add((p) => `occurred_at >= ${p}`, query.from);
  if (query.to) add((p) => `occurred_at < ${p}`, query.to);
  params.push(query.limit + 1);
  const columns = `event_id::text AS event_id, type, credits, balance_after, available_after, reserved_after, reserved_change,
            description, reference, occurred_at, revision, metadata, operation, detail`;
  // With a period, the rows are found by credit_transactions_by_time and only they are sorted: left
  // to itself the planner may walk the primary key from the newest revision and filter, which for
  // an old month of a busy account reads its whole later history. MATERIALIZED keeps the two apart.
  const sql =
    query.from || query.to
      ? `WITH in_period AS MATERIALIZED (SELECT ${columns} FROM credit_transactions WHERE ${where.join(' AND ')})
       SELECT * FROM in_period ORDER BY revision DESC LIMIT $${params.length}`
      : `SELECT ${columns} FROM credit_transactions WHERE ${where.join(' AND ')} ORDER BY revision DESC LIMIT $${params.length}`;
  const { rows } = await db.query<HistoryRecord>(sql, params);
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return {
    data: page.map(toHistoryRow),
    nextCursor: more ? encodeCursor(query, page.at(-1)!.revision) : null,
  };
}

function toHistoryRow(row: HistoryRecord): HistoryRow {
  return {
    id: row.event_id,
    type: row.type,
    credits: row.credits,
    balanceAfter: row.balance_after,
    availableAfter: row.available_after,
    reservedAfter: row.reserved_after,
    reservedChange: row.reserved_change,
    description: row.description,
    reference: row.reference,
    occurredAt: row.occurred_at.toISOString(),
    revision: row.revision,
    metadata: row.metadata,
    operation: row.operation,
    detail: row.detail,
  };
}
