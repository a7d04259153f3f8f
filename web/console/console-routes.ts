import type { components } from '../src/api/schema';
import { settle, type ConsoleClient } from './api';

/**
 * The routes made for the console (notes/s4/contracts.md "Console routes"): account search,
 * adjust down, the audit report and verify, through the typed client like every other call.
 */

export type AccountSearchPage = components['schemas']['AccountSearchPageResponse'];
export type AccountSummary = AccountSearchPage['data'][number];
export type AdjustmentAnswer = components['schemas']['AdjustmentResponse'];
export type AuditReport = components['schemas']['AuditReportResponse'];
export type VerifyAnswer = components['schemas']['VerifyResponse'];

export function searchAccounts(
  client: ConsoleClient,
  query: { prefix?: string; limit?: number; after?: string },
): Promise<AccountSearchPage> {
  return settle(client.api.GET('/v1/accounts', { params: { query } }));
}

export function adjustDown(
  client: ConsoleClient,
  accountId: string,
  body: components['schemas']['AdjustmentRequest'],
  idempotencyKey: string,
): Promise<AdjustmentAnswer> {
  return settle(
    client.api.POST('/v1/accounts/{accountId}/adjustments', {
      params: { path: { accountId }, header: { 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );
}

export function auditReport(
  client: ConsoleClient,
  accountId: string,
  at?: string,
): Promise<AuditReport> {
  return settle(
    client.api.GET('/v1/accounts/{accountId}/audit', {
      params: { path: { accountId }, query: at ? { at } : {} },
    }),
  );
}

export function verifyReadModels(client: ConsoleClient, accountId?: string): Promise<VerifyAnswer> {
  return settle(client.api.POST('/v1/verify', { body: accountId ? { accountId } : {} }));
}
