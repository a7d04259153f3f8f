import createClient from 'openapi-fetch';
import type { paths } from '../api/schema';
import type {
  AutoTopUpAnswer,
  AutoTopUpRequest,
  BalanceAnswer,
  CheckoutSessionAnswer,
  CreditPack,
  Problem,
  QuoteAnswer,
  QuoteRequest,
  TransactionsPage,
  WidgetsConfig,
} from './types';

export interface CreditsConnection {
  /** The account whose credits are shown. */
  accountId: string;
  /** A customer token for that account (PRODUCT.md §6): never a service API key in a browser. */
  token: string;
  /** The service's origin, e.g. `https://credits.example.com`; default: this page's origin. */
  apiBase?: string;
}

/** A refused call: the problem's stable `code` (API.md) and its human `detail`. */
export class CreditsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'CreditsApiError';
  }
}

/** A history page at most: API.md allows 1–200. */
export const MAX_HISTORY_PAGE = 200;

export type CreditsClient = ReturnType<typeof createCreditsClient>;

/** The calls the widgets make, typed by the service's paths and authenticated by the token. */
export function createCreditsClient(connection: CreditsConnection) {
  const apiBase = (connection.apiBase ?? globalThis.location?.origin ?? '').replace(/\/+$/, '');
  const client = createClient<paths>({
    baseUrl: apiBase,
    headers: { authorization: `Bearer ${connection.token}` },
  });
  const account = { path: { accountId: connection.accountId } };
  return {
    accountId: connection.accountId,
    balance: (): Promise<BalanceAnswer> =>
      settle(client.GET('/v1/accounts/{accountId}/balance', { params: account })),
    transactions: (limit: number, cursor?: string): Promise<TransactionsPage> =>
      settle(
        client.GET('/v1/accounts/{accountId}/transactions', {
          params: {
            ...account,
            query: { limit: Math.min(Math.max(1, limit), MAX_HISTORY_PAGE), cursor },
          },
        }),
      ),
    quote: (request: QuoteRequest): Promise<QuoteAnswer> =>
      settle(client.POST('/v1/accounts/{accountId}/quotes', { params: account, body: request })),
    packs: async (): Promise<CreditPack[]> => (await settle(client.GET('/v1/credit-packs'))).data,
    createCheckoutSession: (
      packId: string,
      options: { saveForAutoTopUp?: boolean } = {},
    ): Promise<CheckoutSessionAnswer> =>
      settle(
        client.POST('/v1/checkout-sessions', {
          body: {
            accountId: connection.accountId,
            packId,
            uiMode: 'embedded',
            // Only when asked: a plain purchase sends what it always did.
            ...(options.saveForAutoTopUp === true && { saveForAutoTopUp: true }),
          },
        }),
      ),
    autoTopUp: (): Promise<AutoTopUpAnswer> =>
      settle(client.GET('/v1/accounts/{accountId}/auto-top-up', { params: account })),
    setAutoTopUp: (settings: AutoTopUpRequest): Promise<AutoTopUpAnswer> =>
      settle(
        client.PUT('/v1/accounts/{accountId}/auto-top-up', { params: account, body: settings }),
      ),
    widgetsConfig: (): Promise<WidgetsConfig> => settle(client.GET('/v1/widgets/config')),
    /** An EventSource cannot send headers: the stream takes the token in its query (UI.md). */
    balanceStreamUrl: (): string =>
      `${apiBase}/v1/accounts/${encodeURIComponent(connection.accountId)}/balance/stream?token=${encodeURIComponent(connection.token)}`,
  };
}

async function settle<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch {
    throw new CreditsApiError(0, 'network_error', 'The credits service could not be reached');
  }
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  const problem = (answer.error ?? {}) as Problem;
  throw new CreditsApiError(
    answer.response.status,
    problem.code ?? 'unknown_error',
    problem.detail ?? problem.title ?? `The credits service answered ${answer.response.status}`,
  );
}
