import type { Problem } from './problem';

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
 * The headers of a problem. Every problem the service writes gets them here (through
 * ProblemCatalog.responseFor), so no path can forget them: `Retry-After` on every 429 and 503,
 * `WWW-Authenticate` on every 401, and what the error adds (the RateLimit headers of a rate limit).
 */
export function problemResponse(
  problem: Problem,
  retryAfterSeconds?: number,
  own?: Record<string, string>,
): ProblemResponse {
  const headers: Record<string, string> = {};
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer';
  if (problem.status === 429 || problem.status === 503) {
    headers['retry-after'] = String(
      retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS[problem.status],
    );
  }
  return { problem, headers: own ? Object.assign(headers, own) : headers };
}

/**
 * For an answer that is not a problem (readiness) or bypassed the catalog: the Retry-After a 429
 * or 503 must carry when none was set, else null. Used by the onSend hook as a last guard.
 */
export function missingRetryAfter(status: number, hasRetryAfter: boolean): string | null {
  if (hasRetryAfter || (status !== 429 && status !== 503)) return null;
  return String(DEFAULT_RETRY_AFTER_SECONDS[status]);
}
