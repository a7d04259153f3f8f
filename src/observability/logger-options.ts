import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

export const REQUEST_ID_HEADER = 'x-request-id';
const MAX_REQUEST_ID_LENGTH = 128;

/** A caller's X-Request-Id when it is sane, otherwise a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const supplied = request.headers[REQUEST_ID_HEADER];
  if (
    typeof supplied === 'string' &&
    supplied.length > 0 &&
    supplied.length <= MAX_REQUEST_ID_LENGTH &&
    /^[\x21-\x7E]+$/.test(supplied)
  ) {
    return supplied;
  }
  return randomUUID();
}

/** A customer token in a query string (`?token=`, the live balance stream): never written to a log. */
const TOKEN_IN_QUERY = /([?&]token=)[^&#]*/gi;

/** The URL as logs may show it: secrets in the query string replaced by `[redacted]`. */
export function redactUrlSecrets(url: string): string {
  return url.replace(TOKEN_IN_QUERY, '$1[redacted]');
}

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  [key: string]: unknown;
}

/** pino-http's request serializer wraps this one around the standard one's output. */
function withoutUrlSecrets(request: SerializedRequest): SerializedRequest {
  if (typeof request.url === 'string') request.url = redactUrlSecrets(request.url);
  if (request.query && typeof request.query === 'object' && 'token' in request.query) {
    request.query = { ...request.query, token: '[redacted]' };
  }
  return request;
}

/**
 * Structured JSON logs with the request id; secrets (API keys, customer tokens, Stripe signatures)
 * never logged.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    // Request lines are info. Below that level the middleware would cost ~30 % of HTTP throughput
    // (measured on spend-http) to write nothing, so it is not registered at all. Otherwise every
    // path: nestjs-pino's default route pattern matches no path under Fastify with Nest 12.
    forRoutes: writesRequestLogs(config.logLevel)
      ? [{ path: '{*splat}', method: RequestMethod.ALL }]
      : [],
    pinoHttp: {
      level: config.logLevel,
      genReqId: (request) =>
        (request as IncomingMessage & { id?: string }).id ?? requestIdFor(request),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["stripe-signature"]',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
      serializers: { req: withoutUrlSecrets },
      customProps: () => ({ service: 'credits-ledger', role: config.role }),
      // originalUrl: the middleware layer may rewrite `url` relative to where it is mounted.
      autoLogging: {
        ignore: (request) =>
          isProbe(
            (request as IncomingMessage & { originalUrl?: string }).originalUrl ??
              request.url ??
              '',
          ),
      },
    },
  };
}

/** Health checks and metrics scrapes come every few seconds: not worth a log line each. */
function isProbe(url: string): boolean {
  return url.startsWith('/health') || url === '/metrics';
}

const LEVELS_WITH_REQUEST_LOGS = new Set(['info', 'debug', 'trace']);

/** Whether `level` lets through the info lines pino-http writes per request. */
export function writesRequestLogs(level: string): boolean {
  return LEVELS_WITH_REQUEST_LOGS.has(level);
}
