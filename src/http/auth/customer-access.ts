import { SetMetadata } from '@nestjs/common';
import { RouteFlag } from '../route-flags';

export const CUSTOMER_ACCESS = 'ledger:customer-access';

/**
 * Where a route names the account a customer token must be for:
 * - `path`: the route parameter (`accountId` in /v1/accounts/{accountId}/…);
 * - `body`: a field of the JSON body (POST /v1/checkout-sessions `{ accountId }`);
 * - `none`: the route concerns no account (the credit-pack list).
 */
export type CustomerAccountSource =
  { from: 'path'; param: string } | { from: 'body'; field: string } | { from: 'none' };

/**
 * The route also accepts a customer token (PRODUCT.md §6) for the account found at `account`.
 * Every other route refuses customer tokens with 403, whatever its scope (ApiKeyGuard). The
 * route's API-key scope is unchanged.
 */
export const AcceptsCustomerToken = (
  account: CustomerAccountSource = { from: 'path', param: 'accountId' },
): MethodDecorator => SetMetadata(CUSTOMER_ACCESS, account);

/**
 * For EventSource (which cannot send headers): the customer token may also come as `?token=`.
 * API keys never do (a URL ends up in logs and browser history); the request log strips it.
 */
export const CustomerTokenInQuery = (): MethodDecorator => RouteFlag({ tokenInQuery: true });

/** The account a request names at `source`, or null when it names none (or not as a string). */
export function accountNamedBy(
  source: CustomerAccountSource,
  request: { params?: unknown; body?: unknown },
): string | null {
  if (source.from === 'none') return null;
  const where = source.from === 'path' ? request.params : request.body;
  const key = source.from === 'path' ? source.param : source.field;
  if (!where || typeof where !== 'object') return null;
  const value = (where as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}
