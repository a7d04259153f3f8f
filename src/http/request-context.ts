import { createHash } from 'node:crypto';
import type { CommandContext } from '../ledger/commands';
import type { Actor } from '../ledger/events';
import type { AuthenticatedRequest } from './auth/api-key.guard';
import { OPEN_MODE_PRINCIPAL } from './auth/api-key-authenticator';
import { HttpProblemException } from './errors/http-problem.exception';
import { validationProblem } from './errors/problem';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** LEDGER.md "Idempotency": 1–255 printable characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

/**
 * Who is asking and how to recognise a repeat: the request id (correlation), the API key
 * (actor), the Idempotency-Key and a hash of what was asked (operation + account + body): a
 * command's context but its `now`, which the clock gives when the command runs.
 */
export function callerContext(
  request: AuthenticatedRequest,
  operation: string,
  accountId: string,
  body: unknown,
): Omit<CommandContext, 'now'> {
  const idempotencyKey = readIdempotencyKey(request);
  return {
    correlationId: String(request.id),
    actor: actorOf(request),
    ...(idempotencyKey === undefined
      ? {}
      : { idempotencyKey, requestHash: requestHash(operation, accountId, body) }),
  };
}

/** The API key that made the request, as recorded in event metadata (admin keys as `admin`). */
export function actorOf(request: AuthenticatedRequest): Actor {
  const principal = request.principal ?? OPEN_MODE_PRINCIPAL;
  return { kind: principal.scopes.includes('admin') ? 'admin' : 'apiKey', id: principal.name };
}

function readIdempotencyKey(request: AuthenticatedRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  // Node joins repeated headers it does not know with ", ": two keys would silently become a third.
  // (Requests injected in-process have no headersDistinct, and no repeated headers either.)
  const sent = request.raw.headersDistinct?.[IDEMPOTENCY_KEY_HEADER];
  if (sent !== undefined && sent.length !== 1) {
    throw new HttpProblemException(
      validationProblem([{ field: 'Idempotency-Key', message: 'must be sent once' }]),
    );
  }
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new HttpProblemException(
      validationProblem([
        { field: 'Idempotency-Key', message: 'must be 1–255 printable ASCII characters' },
      ]),
    );
  }
  return raw;
}

export function requestHash(operation: string, accountId: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ operation, accountId, body: body ?? null }))
    .digest('hex');
}

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
