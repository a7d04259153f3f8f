import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/errors/problem';

/** Requests in flight when the service stops get this long to finish; then their connections are closed. */
export const HTTP_DRAIN_TIMEOUT_MS = 10_000;
/** What a request that arrives while the service stops is told: another instance, or this one restarted. */
export const DRAINING_RETRY_AFTER_SECONDS = 2;
const IDLE_SWEEP_INTERVAL_MS = 100;

/**
 * How the HTTP server stops (fastify.close(), run by the shutdown sequence and by app.close()):
 * it stops accepting connections at once and waits for the requests in flight, at most
 * HTTP_DRAIN_TIMEOUT_MS. A request that still arrives on an open keep-alive connection is answered
 * 503 `unavailable` with Retry-After and `Connection: close` (Fastify's own answer has neither a
 * problem body nor Retry-After, so it is turned off: `return503OnClosing: false` in create-app).
 */
export function installHttpDrain(
  fastify: FastifyInstance,
  drainTimeoutMs = HTTP_DRAIN_TIMEOUT_MS,
): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    void reply
      .status(503)
      .header('retry-after', String(DRAINING_RETRY_AFTER_SECONDS))
      .header('connection', 'close')
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(problem('unavailable', 'The service is shutting down; retry shortly'));
  });
  // A keep-alive connection busy when the drain starts would otherwise stay open after its answer
  // (until the client or the drain timeout closes it): every answer from now on closes its connection.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('preClose', (done) => {
    closing = true;
    const server = fastify.server;
    if (!server.listening) {
      done(); // an app that never listened (tests, the benchmark): no connections to wait for
      return;
    }
    const forceClose = setTimeout(() => {
      logger.warn(
        `requests still in flight after ${drainTimeoutMs} ms of draining: closing their connections`,
      );
      server.closeAllConnections();
    }, drainTimeoutMs);
    // server.close() closes the connections idle at that moment; these become idle later.
    const closeIdle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_INTERVAL_MS);
    forceClose.unref();
    closeIdle.unref();
    // The server's 'close' comes once its last connection has ended: nothing left to cut.
    server.once('close', () => {
      clearTimeout(forceClose);
      clearInterval(closeIdle);
    });
    done();
  });
}
