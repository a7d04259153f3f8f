import { readJson, type ConsoleClient } from './api';

/**
 * The console's routes built on branch c18-backend (notes/s4/contracts.md "Console routes"), typed
 * by hand from the contract until they are in the generated client: one file, so the swap to
 * `client.api` is one edit once the OpenAPI document has them.
 */

export interface AccountSummary {
  accountId: string;
  balance: number;
  available: number;
  reserved: number;
  updatedAt: string;
}

export interface AccountSearchPage {
  data: AccountSummary[];
  nextCursor: string | null;
}

export interface AdjustmentAnswer {
  adjustmentId: string;
  credits: number;
  balance: number;
  available: number;
  revision: number;
  position: string | null;
}

export interface VerifyAnswer {
  accounts: number;
  events: number;
  differences: {
    accountId: string;
    readModel: string;
    field: string;
    expected: unknown;
    actual: unknown;
  }[];
  tookMs: number;
}

/** The audit report `ledger audit` prints, as JSON: its shape is the CLI's, shown as it comes. */
export type AuditReport = Record<string, unknown>;

export async function searchAccounts(
  client: ConsoleClient,
  query: { prefix?: string; limit?: number; after?: string },
): Promise<AccountSearchPage> {
  const params = new URLSearchParams();
  if (query.prefix) params.set('prefix', query.prefix);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.after) params.set('after', query.after);
  return readJson(await client.fetch(`/v1/accounts?${params}`));
}

export async function adjustDown(
  client: ConsoleClient,
  accountId: string,
  body: { credits: number; reason: string; description?: string },
  idempotencyKey: string,
): Promise<AdjustmentAnswer> {
  return readJson(
    await client.fetch(`/v1/accounts/${encodeURIComponent(accountId)}/adjustments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    }),
  );
}

export async function auditReport(
  client: ConsoleClient,
  accountId: string,
  at?: string,
): Promise<AuditReport> {
  const query = at ? `?at=${encodeURIComponent(at)}` : '';
  return readJson(
    await client.fetch(`/v1/accounts/${encodeURIComponent(accountId)}/audit${query}`),
  );
}

export async function verifyReadModels(
  client: ConsoleClient,
  accountId?: string,
): Promise<VerifyAnswer> {
  return readJson(
    await client.fetch('/v1/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(accountId ? { accountId } : {}),
    }),
  );
}
