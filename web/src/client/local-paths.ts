/**
 * The routes the widgets call, in openapi-typescript's `paths` shape, so that openapi-fetch types
 * every call. Stands in until the generated web/src/api/schema.d.ts is merged; then this file goes
 * and credits-client.ts imports `paths` from there.
 */
import type {
  BalanceAnswer,
  CheckoutSessionAnswer,
  CreditPack,
  Problem,
  QuoteAnswer,
  QuoteRequest,
  TransactionsPage,
  WidgetsConfig,
} from './types';

type Json<T> = { content: { 'application/json': T } };
type Failure = { default: Json<Problem> };
type AccountPath = { path: { accountId: string } };

export interface paths {
  '/v1/accounts/{accountId}/balance': {
    get: {
      parameters: AccountPath;
      responses: { 200: Json<BalanceAnswer> } & Failure;
    };
  };
  '/v1/accounts/{accountId}/transactions': {
    get: {
      parameters: AccountPath & { query?: { limit?: number; cursor?: string } };
      responses: { 200: Json<TransactionsPage> } & Failure;
    };
  };
  '/v1/accounts/{accountId}/quotes': {
    post: {
      parameters: AccountPath;
      requestBody: Json<QuoteRequest>;
      responses: { 201: Json<QuoteAnswer> } & Failure;
    };
  };
  '/v1/credit-packs': {
    get: {
      responses: { 200: Json<{ data: CreditPack[] }> } & Failure;
    };
  };
  '/v1/checkout-sessions': {
    post: {
      requestBody: Json<{ accountId: string; packId: string; uiMode: 'embedded' }>;
      responses: { 201: Json<CheckoutSessionAnswer> } & Failure;
    };
  };
  '/v1/widgets/config': {
    get: {
      responses: { 200: Json<WidgetsConfig> } & Failure;
    };
  };
}
