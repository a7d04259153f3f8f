import type { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * A request never waits long for the shared store: past this the counter is skipped (the request
 * goes through) rather than the API slowing down with Redis.
 */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
const NAMESPACE = 'credits-ledger:rate-limit:';

export interface SharedRateLimitStore {
  client: Redis;
  nameSpace: string;
  /** Resolves once Redis answers, or after CONNECT_TIMEOUT_MS whatever happened (never rejects). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The ioredis client @fastify/rate-limit keeps its counters in when RATE_LIMIT_REDIS_URL is set
 * (null otherwise: counters in this process). No offline queue: while Redis is unreachable a
 * command fails at once and the limit is skipped, instead of requests piling up behind a reconnect.
 * The outage is logged once, and the recovery.
 */
export function connectRateLimitStore(
  url: string | null,
  logger: Logger,
): SharedRateLimitStore | null {
  if (url === null) return null;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  let reachable: boolean | null = null;
  client.on('ready', () => {
    if (reachable !== true) logger.log('Rate-limit counters shared through Redis');
    reachable = true;
  });
  client.on('error', (error: Error) => {
    // Never the URL: it may hold a password.
    if (reachable !== false)
      logger.warn(
        { err: { name: error.name, message: error.message } },
        'Redis for rate limits is unreachable; requests are not limited until it is back',
      );
    reachable = false;
  });
  // Start-up waits this long for Redis, so that the limits hold from the first request; a Redis
  // that is down delays the start by at most that, never stops it.
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONNECT_TIMEOUT_MS).unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    client,
    nameSpace: NAMESPACE,
    ready,
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
