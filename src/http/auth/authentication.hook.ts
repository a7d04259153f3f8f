import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import type { RateLimitedError } from '../errors/rate-limited.error';
import { ApiKeyAuthenticator, OPEN_MODE_PRINCIPAL, type Principal } from './api-key-authenticator';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    principal: Principal | null;
  }
}

/** Counts failed authentications per client address; answers the error to send once over the limit. */
export interface AuthFailureLimiter {
  recordFailure(request: FastifyRequest): Promise<RateLimitedError | null>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a request without an API key is told, by this hook and by ApiKeyGuard alike. */
export const MISSING_API_KEY_DETAIL = 'Send an API key as "Authorization: Bearer <key>"';

/**
 * Authentication as an onRequest hook: it runs before the content type is checked and before the
 * body is read or parsed, so a caller without a valid key learns nothing about what the route
 * would make of its request (401 before 400, 413 or 415). Put on every route not flagged public
 * (@Public()) by src/app/create-app.ts. Scopes stay with ApiKeyGuard, which knows the handler.
 * The key is never logged; it is compared in constant time.
 *
 * Callback-style on the success path (no promise per request); only a failure waits for the
 * failure counter.
 */
export function authenticationHook(
  authenticator: ApiKeyAuthenticator,
  failures: AuthFailureLimiter,
) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (authenticator.isOpen) {
      request.principal = OPEN_MODE_PRINCIPAL;
      done();
      return;
    }
    const header = request.headers.authorization;
    const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const principal = secret === undefined ? null : authenticator.authenticate(secret);
    if (principal) {
      request.principal = principal;
      done();
      return;
    }
    const refusal = new HttpProblemException(
      problem(
        'unauthorized',
        secret === undefined ? MISSING_API_KEY_DETAIL : 'The API key is not valid',
      ),
    );
    failures.recordFailure(request).then((limited) => done(limited ?? refusal), done);
  };
}
