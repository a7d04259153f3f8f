import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { Database } from '../database/database';
import { failureReason } from './failure-reason';
import { HTTP_DRAIN_TIMEOUT_MS } from './http-drain';

/**
 * Everything stops within this, whatever hangs: the HTTP drain (HTTP_DRAIN_TIMEOUT_MS), the
 * projectors' batch in flight, and PostgreSQL's fast shutdown (bounded in Postmaster.stop).
 */
export const SHUTDOWN_TIMEOUT_MS = 45_000;

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * The order things stop in, so that nothing is cut off under something still using it:
 *   1. the HTTP server stops accepting and drains the requests in flight (bounded);
 *   2. the application closes: projectors finish their batch and release their locks, the expiry
 *      worker finishes its round, read-your-writes waits end, the event store closes;
 *   3. the database: the pool ends (its connections close cleanly), then the embedded PostgreSQL
 *      stops (fast shutdown, nobody connected any more).
 * Reversing 2 and 3, or letting PostgreSQL go first, is what made projectors log "terminating
 * connection due to administrator command" at every stop.
 */
export async function stopService(
  app: NestFastifyApplication,
  database: Database,
  log: Logger,
): Promise<void> {
  const started = Date.now();
  await app.getHttpAdapter().getInstance().close();
  log.info(`HTTP server closed, requests in flight finished (${Date.now() - started} ms)`);
  await app.close();
  log.info('projectors, expiry worker and event store stopped');
  await database.close();
  log.info(`stopped cleanly in ${Date.now() - started} ms`);
}

/**
 * Runs stopService once on SIGTERM, SIGINT or SIGHUP, then exits: 0 when everything stopped, 1
 * when something failed or SHUTDOWN_TIMEOUT_MS passed. A Ctrl-C reaches the service twice under
 * `npm start` (from the terminal and forwarded by npm), and impatient people press it again:
 * further signals are noted and ignored, the shutdown being bounded anyway.
 */
export function stopOnSignals(app: NestFastifyApplication, database: Database, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.info(
        `${signal} received while stopping; the shutdown is already under way (at most ${SHUTDOWN_TIMEOUT_MS / 1000} s)`,
      );
      return;
    }
    stopping = true;
    log.info(
      `${signal} received: stopping (no new connections; requests in flight get up to ${HTTP_DRAIN_TIMEOUT_MS / 1000} s)`,
    );
    const deadline = setTimeout(() => {
      log.error(`the shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting now`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    stopService(app, database, log).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`the shutdown failed: ${failureReason(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
