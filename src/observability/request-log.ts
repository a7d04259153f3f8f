import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { redactUrlSecrets } from './logger-options';

/** Headers whose values never reach a log (API keys, customer tokens, Stripe signatures, cookies). */
const SECRET_HEADERS = ['authorization', 'stripe-signature', 'cookie'] as const;
const REDACTED = '[redacted]';
const logged = Symbol('requestLogged');

type LoggedRequest = FastifyRequest & { [logged]?: true };

/**
 * One JSON line per request at info, written straight through pino from a Fastify `onResponse`
 * hook: the fields pino-http wrote (req: id, method, url, query, headers, remoteAddress,
 * remotePort; res: statusCode, headers; responseTime; service, role), secrets redacted here, with
 * none of what made pino-http cost ~30 % of a spend's throughput (Nest middleware through
 * @fastify/middie, two child loggers and an AsyncLocalStorage context per request, three listeners
 * on every response). Health probes and metrics scrapes are left out. A response that never
 * finishes because its client left (the live balance stream) is logged as "request aborted".
 */
export function installRequestLog(fastify: FastifyInstance, root: Logger, config: AppConfig): void {
  // The request object is already serialized: the root's own `req`/`res` serializers (pino-http's)
  // would treat it as a raw request.
  const log = root.child(
    { service: 'credits-ledger', role: config.role },
    { serializers: { req: passThrough, res: passThrough } },
  );
  fastify.addHook('onResponse', (request: LoggedRequest, reply, done) => {
    if (!request[logged] && !isProbe(request.url)) {
      request[logged] = true;
      write(log, request, reply, false);
    }
    done();
  });
  // A stream's response ends only when its client goes: no onResponse then.
  fastify.addHook('onRequest', (request: LoggedRequest, reply, done) => {
    const accept = request.headers.accept;
    if (accept !== undefined && accept.includes('text/event-stream')) {
      reply.raw.once('close', () => {
        if (request[logged]) return;
        request[logged] = true;
        write(log, request, reply, true);
      });
    }
    done();
  });
}

function write(log: Logger, request: FastifyRequest, reply: FastifyReply, aborted: boolean): void {
  const raw = reply.raw;
  const statusCode = raw.headersSent ? raw.statusCode : null;
  const line = {
    req: serializeRequest(request),
    res: { statusCode, headers: raw.getHeaders() },
    responseTime: Math.round(reply.elapsedTime),
  };
  if (statusCode !== null && statusCode >= 500) {
    log.info(
      // As pino-http: an Error (through pino's err serializer); the cause is logged where it arose.
      { ...line, err: new Error(`failed with status code ${statusCode}`) },
      'request errored',
    );
    return;
  }
  log.info(
    line,
    aborted || request.raw.readableAborted || !raw.writableEnded
      ? 'request aborted'
      : 'request completed',
  );
}

function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  const headers: Record<string, unknown> = { ...request.headers };
  for (const name of SECRET_HEADERS) if (name in headers) headers[name] = REDACTED;
  const query = request.query as Record<string, unknown> | undefined;
  const socket = request.raw.socket;
  return {
    id: request.id,
    method: request.method,
    url: redactUrlSecrets(request.url),
    query: query && 'token' in query ? { ...query, token: REDACTED } : (query ?? {}),
    headers,
    remoteAddress: socket?.remoteAddress,
    remotePort: socket?.remotePort,
  };
}

function passThrough<T>(value: T): T {
  return value;
}

/** Health checks and metrics scrapes come every few seconds: not worth a log line each. */
export function isProbe(url: string): boolean {
  return url.startsWith('/health') || url === '/metrics';
}
