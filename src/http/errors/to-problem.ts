import { HttpException } from '@nestjs/common';
import { ConcurrencyConflictError, LedgerRejectedError } from '../../accounts/write-path/errors';
import { QueueFullError } from '../../accounts/write-path/keyed-serializer';
import { EventStoreUnavailableError } from '../../event-store/event-store.port';
import { AppendQueueFullError } from '../../event-store/postgres/group-committer';
import type { Rejection } from '../../ledger/rejections';
import {
  PaymentProviderError,
  StripeEventProcessingError,
  StripeNotConfiguredError,
} from '../../payments/errors';
import { RateLimitedError } from '../rate-limits/rate-limited.error';
import { HttpProblemException } from './http-problem.exception';
import { problem, validationProblem, type Problem } from './problem';

/** A problem and the headers that must travel with it. */
export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
}

/**
 * Retry-After for a 429 or 503 whose cause names no better time: a second for a full queue (it
 * drains in milliseconds), a few seconds for a store that is down or a process that is stopping.
 */
const DEFAULT_RETRY_AFTER_SECONDS = { 429: 1, 503: 5 } as const;

/**
 * The problem for anything thrown, with its headers. Every problem the service writes comes from
 * here (src/http/errors/problem-details.filter.ts, src/http/errors/client-error.ts), so no path can
 * forget them: `Retry-After` on every 429 and 503, `WWW-Authenticate` on every 401, the RateLimit
 * headers on a rate limit.
 */
export function toProblemResponse(error: unknown): ProblemResponse {
  const answer = toProblem(error);
  const headers: Record<string, string> = {};
  if (answer.status === 401) headers['www-authenticate'] = 'Bearer';
  if (answer.status === 429 || answer.status === 503) {
    headers['retry-after'] = String(
      retryAfterSeconds(error) ?? DEFAULT_RETRY_AFTER_SECONDS[answer.status],
    );
  }
  if (error instanceof RateLimitedError) {
    // draft-ietf-httpapi-ratelimit-headers (the Limit/Remaining/Reset trio with its Policy header),
    // as @fastify/rate-limit writes them on the responses under a limit.
    headers['ratelimit-limit'] = String(error.limit);
    headers['ratelimit-remaining'] = '0';
    headers['ratelimit-reset'] = String(error.resetSeconds);
    headers['ratelimit-policy'] = `${error.limit};w=${error.windowSeconds}`;
  }
  return { problem: answer, headers };
}

/**
 * For an answer that is not a problem (readiness) or bypassed toProblemResponse: the Retry-After a
 * 429 or 503 must carry when none was set, else null. Used by the onSend hook as a last guard.
 */
export function missingRetryAfter(status: number, hasRetryAfter: boolean): string | null {
  if (hasRetryAfter || (status !== 429 && status !== 503)) return null;
  return String(DEFAULT_RETRY_AFTER_SECONDS[status]);
}

function retryAfterSeconds(error: unknown): number | undefined {
  if (error instanceof RateLimitedError) return error.resetSeconds;
  if (error instanceof HttpProblemException) return error.options.retryAfterSeconds;
  return undefined;
}

/**
 * The one mapping from anything thrown to the problem the client sees. Unknown errors become a
 * bare 500: no message, stack, SQL or secret leaves the process (they are logged instead).
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblemException) return error.problem;
  if (error instanceof LedgerRejectedError) return rejectionProblem(error.rejection);
  if (error instanceof ConcurrencyConflictError) {
    return problem(
      'concurrency_conflict',
      `Account ${error.accountId} kept changing under concurrent writes; retry the request`,
    );
  }
  if (error instanceof RateLimitedError)
    return problem('rate_limited', `${error.message}; retry in ${error.resetSeconds} s`);
  if (error instanceof QueueFullError)
    return problem('rate_limited', 'Too many commands are waiting for this account; retry later');
  if (error instanceof EventStoreUnavailableError)
    return problem('unavailable', 'The event store is not reachable; retry later');
  if (error instanceof AppendQueueFullError)
    return problem('unavailable', 'The event store is saturated; retry shortly');
  if (error instanceof StripeNotConfiguredError) {
    return problem(
      'unavailable',
      `${error.feature} is not available: payments with Stripe are not configured on this service (${error.setting})`,
    );
  }
  if (error instanceof PaymentProviderError)
    return problem('unavailable', 'Stripe did not accept the request; retry later');
  if (error instanceof StripeEventProcessingError) {
    // Any 5xx makes Stripe deliver the event again; 503 when the cause is passing.
    const cause = error.cause;
    const passing =
      cause instanceof EventStoreUnavailableError ||
      cause instanceof ConcurrencyConflictError ||
      cause instanceof QueueFullError;
    return problem(
      passing ? 'unavailable' : 'internal_error',
      'The Stripe event could not be processed now; it has been logged and Stripe will deliver it again',
    );
  }
  const framework = frameworkProblem(error);
  if (framework) return framework;
  return problem('internal_error', 'An unexpected error occurred; it has been logged');
}

export function rejectionProblem(rejection: Rejection): Problem {
  switch (rejection.code) {
    case 'insufficient_credits':
      return problem(
        'insufficient_credits',
        `${rejection.required} credits required, ${rejection.available} available`,
        {
          available: rejection.available,
          required: rejection.required,
        },
      );
    case 'not_found':
      return problem('not_found', `No ${rejection.entity} ${rejection.id} on this account`);
    case 'reservation_expired':
      return problem(
        'reservation_expired',
        `Reservation ${rejection.reservationId} passed its deadline and was released`,
      );
    case 'reservation_closed':
      return problem(
        'reservation_closed',
        `Reservation ${rejection.reservationId} is already ${rejection.status}`,
        { reservationStatus: rejection.status },
      );
    case 'spend_fully_refunded':
      return problem(
        'spend_fully_refunded',
        `Spend ${rejection.spendId} is already fully refunded`,
        { spendId: rejection.spendId },
      );
    case 'purchase_conflict':
      // Never names the other account: a caller learns only that the reference is taken.
      return problem(
        'purchase_conflict',
        rejection.purchaseId
          ? `providerRef ${rejection.providerRef} is already recorded on this account as purchase ${rejection.purchaseId}, with other figures`
          : `providerRef ${rejection.providerRef} is already recorded for a purchase on another account`,
        {
          providerRef: rejection.providerRef,
          ...(rejection.purchaseId !== undefined && { purchaseId: rejection.purchaseId }),
        },
      );
    case 'refund_exceeds_spend':
      return validationProblem([
        {
          field: 'credits',
          message: `at most ${rejection.refundable} credits of spend ${rejection.spendId} can still be refunded`,
        },
      ]);
    case 'capture_exceeds_hold':
      return validationProblem([
        {
          field: 'credits',
          message: `reservation ${rejection.reservationId} holds ${rejection.held} credits`,
        },
      ]);
    case 'balance_limit':
      return validationProblem([
        { field: 'credits', message: `the account balance may not exceed ${rejection.limit}` },
      ]);
    case 'invalid_expiry':
      return validationProblem([{ field: 'expiresAt', message: 'must be in the future' }]);
    case 'idempotency_key_reused':
      return problem(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request',
      );
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  status?: number;
}

/** Errors raised by Fastify (body parsing, limits) or Nest (routing) before our code runs. */
function frameworkProblem(error: unknown): Problem | null {
  const candidate = error as FrameworkError | null;
  if (!candidate || typeof candidate !== 'object') return null;
  switch (candidate.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload_too_large', 'The request body is larger than this service accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return validationProblem([{ field: 'body', message: 'a JSON body is required' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return validationProblem(
        [{ field: 'body', message: 'is not valid JSON' }],
        'The request body is not valid JSON',
      );
    // The router's own refusals (src/app/create-app.ts frameworkErrors). The URL is never echoed.
    case 'FST_ERR_BAD_URL':
      return validationProblem([
        { field: 'path', message: 'is not a valid URL path (bad percent-encoding)' },
      ]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return validationProblem([
        { field: 'path', message: 'has a segment too long for any route' },
      ]);
  }
  if (error instanceof SyntaxError && candidate.statusCode === 400) {
    return validationProblem(
      [{ field: 'body', message: 'is not valid JSON' }],
      'The request body is not valid JSON',
    );
  }
  const status = error instanceof HttpException ? error.getStatus() : (candidate.statusCode ?? 0);
  switch (status) {
    case 400:
      return validationProblem([{ field: 'body', message: 'is not a valid request' }]);
    case 404:
      return problem('not_found', 'No such route');
    case 405:
      return problem('method_not_allowed', 'This method is not allowed on this route');
    case 408:
      return problem('request_timeout', 'The request did not arrive in time');
    case 413:
      return problem('payload_too_large', 'The request body is larger than this service accepts');
    case 415:
      return problem('unsupported_media_type', 'Send the body as application/json');
    case 429:
      return problem('rate_limited', 'Too many requests; retry later');
    case 431:
      return problem(
        'headers_too_large',
        'The request headers are larger than this service accepts',
      );
    default:
      return null;
  }
}
