import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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

/**
 * Structured JSON logs with the request id; secrets (API keys, customer tokens, Stripe signatures)
 * never logged. `destination`: the process's (main.ts, log-destination.ts); without one (tests, the
 * bench's in-process apps) pino writes each line to stdout synchronously.
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["stripe-signature"]', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  return {
    // No pino-http middleware on any route: request lines are written by a Fastify onResponse
    // hook (request-log.ts), at a fraction of the middleware's cost. pino-http still builds the
    // root logger every other line goes through (level, redaction of the paths below).
    forRoutes: [],
    pinoHttp: destination ? [options, destination] : options,
  };
}

const LEVELS_WITH_REQUEST_LOGS = new Set(['info', 'debug', 'trace']);

/** Whether `level` lets through the info lines written per request (request-log.ts). */
export function writesRequestLogs(level: string): boolean {
  return LEVELS_WITH_REQUEST_LOGS.has(level);
}
