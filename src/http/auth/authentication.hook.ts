import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import type { RateLimitedError } from '../errors/rate-limited.error';
import {
  ApiKeyAuthenticator,
  customerPrincipal,
  OPEN_MODE_PRINCIPAL,
  type Principal,
} from './api-key-authenticator';
import { looksLikeCustomerToken } from './customer-token';
import type { CustomerTokens } from './customer-tokens';

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

export interface AuthenticationOptions {
  /** The route takes a customer token as `?token=` too (never an API key). */
  tokenInQuery?: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a request without an API key is told, by this hook and by ApiKeyGuard alike. */
export const MISSING_API_KEY_DETAIL = 'Send an API key as "Authorization: Bearer <key>"';

const TOKEN_REFUSALS = {
  malformed: 'The customer token is not valid',
  bad_signature: 'The customer token is not valid',
  expired: 'The customer token has expired; ask your backend for a new one',
} as const;

/**
 * Authentication as an onRequest hook: it runs before the content type is checked and before the
 * body is read or parsed, so a caller without a valid key learns nothing about what the route
 * would make of its request (401 before 400, 413 or 415). Put on every route not flagged public
 * (@Public()) by src/app/create-app.ts. Scopes and customer-token routes stay with ApiKeyGuard,
 * which knows the handler. Keys and tokens are never logged; they are compared in constant time.
 *
 * A bearer starting `ct1.` is a customer token (src/http/auth/customer-token.ts), checked even in
 * open mode, so a widget behaves in development as it will in production.
 *
 * Callback-style on the success path (no promise per request); only a failure waits for the
 * failure counter.
 */
export function authenticationHook(
  authenticator: ApiKeyAuthenticator,
  customerTokens: CustomerTokens,
  failures: AuthFailureLimiter,
  options: AuthenticationOptions = {},
) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const header = request.headers.authorization;
    let secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    let fromQuery = false;
    if (secret === undefined && options.tokenInQuery) {
      const token = (request.query as Record<string, unknown> | undefined)?.token;
      if (typeof token === 'string' && token !== '') {
        secret = token;
        fromQuery = true;
      }
    }
    let refusal: string;
    if (secret !== undefined && looksLikeCustomerToken(secret)) {
      const verified = customerTokens.verify(secret);
      if (verified.valid) {
        request.principal = customerPrincipal(verified.claims);
        done();
        return;
      }
      refusal = TOKEN_REFUSALS[verified.reason];
    } else if (fromQuery) {
      refusal =
        'Only a customer token may be sent as ?token=; send API keys in the Authorization header';
    } else if (authenticator.isOpen) {
      request.principal = OPEN_MODE_PRINCIPAL;
      done();
      return;
    } else {
      const principal = secret === undefined ? null : authenticator.authenticate(secret);
      if (principal) {
        request.principal = principal;
        done();
        return;
      }
      refusal = secret === undefined ? MISSING_API_KEY_DETAIL : 'The API key is not valid';
    }
    const refused = new HttpProblemException(problem('unauthorized', refusal));
    failures.recordFailure(request).then((limited) => done(limited ?? refused), done);
  };
}
