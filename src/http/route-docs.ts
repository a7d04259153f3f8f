import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';
import { RouteFlag } from './route-flags';

export const ACCOUNT_ID_PARAM = ApiParam({
  name: 'accountId',
  description: '1–128 characters of A–Z a–z 0–9 . _ : @ -, not `.` or `..`',
  example: 'org:acme',
});

export const PROBLEM = { description: 'Problem details (application/problem+json)' };
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};
const RATE_LIMIT_HEADERS = {
  ...RETRY_AFTER,
  'RateLimit-Limit': {
    description: 'Requests allowed in the window of the limit that was hit',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer' },
  },
  'RateLimit-Policy': {
    description: 'The limit and its window: `<limit>;w=<seconds>`',
    schema: { type: 'string' },
  },
};

/** What every route with an API key can answer besides its own statuses. */
export function AuthenticatedRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiResponse({
      status: 401,
      description:
        'unauthorized: no API key or an unknown one (WWW-Authenticate: Bearer); checked before the body is read',
    }),
    ApiResponse({ status: 403, description: 'forbidden: the API key lacks the scope' }),
    ApiResponse({
      status: 429,
      description: 'rate_limited: too many failed authentications from this address',
      headers: RATE_LIMIT_HEADERS,
    }),
    ApiResponse({
      status: 503,
      description: 'unavailable: the database or event store cannot be reached or is saturated',
      headers: RETRY_AFTER,
    }),
  );
}

/** The documentation every account route shares. */
export function AccountRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    AuthenticatedRoute(),
    ACCOUNT_ID_PARAM,
    ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' }),
  );
}

/** A body that is too large or not JSON; only routes that take a body can meet them. */
export function BodyRoute(): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 413, description: 'payload_too_large: body over BODY_LIMIT_BYTES' }),
    ApiResponse({ status: 415, description: 'unsupported_media_type: a body that is not JSON' }),
  );
}

/**
 * Counts against RATE_LIMIT_WRITES_PER_SECOND_PER_KEY (src/http/rate-limits/rate-limits.ts):
 * every route that can change the ledger or start a payment.
 */
export function LimitPerKey(): MethodDecorator {
  return applyDecorators(
    RouteFlag({ write: true }),
    ApiResponse({
      status: 429,
      description:
        'rate_limited: writes per API key over RATE_LIMIT_WRITES_PER_SECOND_PER_KEY, too many commands queued for the account, ' +
        'or too many failed authentications from this address. Nothing was written.',
      headers: RATE_LIMIT_HEADERS,
    }),
  );
}

/** Ledger write routes: an Idempotency-Key, conflicts, the per-key limit. */
export function WriteRoute(): MethodDecorator {
  return applyDecorators(
    BodyRoute(),
    LimitPerKey(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '1–255 printable characters, sent once; a repeat returns the first answer',
    }),
    ApiResponse({
      status: 409,
      description:
        'idempotency_key_reused, or concurrency_conflict after COMMAND_MAX_ATTEMPTS lost races (safe to retry)',
    }),
  );
}

/** The write routes on a reservation or a spend that may not exist. */
export const NOT_FOUND = (what: string) =>
  ApiResponse({ status: 404, description: `not_found: no such ${what} on this account` });
