import type { components } from '../api/schema';

/**
 * The answers the widgets read, named after the service's own OpenAPI schemas (web/src/api/, generated
 * by `npm run generate:client`): a change of the API that breaks the widgets fails their type check.
 */
type Schemas = components['schemas'];

/** The balance answer; `lowBalance` when the service says (API.md), else the widgets decide. */
export type BalanceAnswer = Schemas['BalanceResponse'] & { lowBalance?: boolean };
export type TransactionRow = Schemas['TransactionRowResponse'];
export type TransactionsPage = Schemas['TransactionsPageResponse'];
export type CreditPack = Schemas['CreditPackDto'];
export type CheckoutSessionAnswer = Schemas['CheckoutSessionResponse'];
export type QuoteRequest = Schemas['QuoteRequest'];
export type QuoteAnswer = Schemas['QuoteResponse'];
export type WidgetsConfig = Schemas['WidgetsConfigResponse'];
export type AutoTopUpAnswer = Schemas['AutoTopUpResponse'];
/** PUT /v1/accounts/{accountId}/auto-top-up's body. */
export interface AutoTopUpRequest {
  enabled: boolean;
  threshold: number;
  packId: string;
}

/** RFC 9457 problem details, as every error of the service is answered. */
export interface Problem {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
}
