import { Injectable, Logger } from '@nestjs/common';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppConfig, type RateLimitSettings } from '../../config/app-config';
import type { AuthFailureLimiter } from '../auth/authentication.hook';
import type { RouteFlags } from '../route-flags';
import { RateLimitedError } from '../errors/rate-limited.error';
import { Clock } from '../../shared/clock';
import { LocalMissCounters, type MissCounters, RedisMissCounters } from './miss-counters';

/**
 * Per-account limits by name (PRODUCT.md §6: checkout creation, gift-code guessing). A feature adds
 * its policy here and puts @LimitPerAccount('<name>') on its route (src/http/rate-limits/limit-per-account.ts).
 */
const ACCOUNT_POLICIES = {
  checkouts: (settings: RateLimitSettings) => ({
    what: 'checkout sessions per account',
    max: settings.checkoutsPerMinutePerAccount,
    windowSeconds: 60,
  }),
} as const;
export type AccountPolicy = keyof typeof ACCOUNT_POLICIES;

/**
 * Per-account limits on failed attempts only (PRODUCT.md §6: gift-code guessing): past `max`
 * misses within the window, every attempt of the account is refused until the window ends.
 */
const MISS_POLICIES = {
  giftCodeGuesses: (settings: RateLimitSettings) => ({
    what: 'wrong gift codes per account',
    max: settings.giftCodeGuessesPerMinutePerAccount,
    windowSeconds: 60,
  }),
} as const;
export type MissPolicy = keyof typeof MISS_POLICIES;

/**
 * Keys each in-process counter set keeps, least recently used dropped first: a dropped key starts
 * again from zero, so this must exceed the keys active within one window (API keys: a handful;
 * accounts checking out or addresses failing within a minute: far fewer than this). ~100 bytes each.
 */
const COUNTERS_KEPT = 100_000;

type RedisStoreModule = typeof import('./redis-store');

type Limiter = (subject: { key: string }) => Promise<RateLimitedError | null>;

/**
 * The service's rate limits, counted by @fastify/rate-limit in its own store: in this process by
 * default, or in one Redis shared by every replica (RATE_LIMIT_REDIS_URL). A store that fails lets
 * requests through (logged): limits protect capacity, the ledger's correctness does not depend on them.
 *
 * - writes per API key: an onRequest hook on every route flagged `write` (after authentication);
 * - per account, by policy: checked by LimitPerAccountGuard once the request is authenticated;
 * - failed authentications per client address: consulted by the authentication hook on failure only.
 */
@Injectable()
export class RateLimits implements AuthFailureLimiter {
  private readonly logger = new Logger('RateLimits');
  private readonly settings: RateLimitSettings;
  private readonly accountLimiters = new Map<AccountPolicy, Limiter>();
  private readonly missCounters = new Map<MissPolicy, MissCounters>();
  private authFailures: Limiter | null = null;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.settings = config.rateLimits;
  }

  /** Before the routes are registered (their onRoute hook attaches the write limit). */
  async install(fastify: FastifyInstance): Promise<void> {
    const store = this.settings.redisUrl
      ? // Loaded only when configured: ioredis is ≈ 1.6 MB of heap in every process without Redis.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('./redis-store') as RedisStoreModule).connectRateLimitStore(
          this.settings.redisUrl,
          this.logger,
        )
      : null;
    await fastify.register(fastifyRateLimit, {
      global: false,
      enableDraftSpec: true,
      skipOnError: true,
      ...(store && { redis: store.client, nameSpace: store.nameSpace }),
      // A 429's headers come with its problem (src/http/errors/kernel-problems.ts), like every problem's.
      addHeaders: {
        'ratelimit-limit': false,
        'ratelimit-remaining': false,
        'ratelimit-reset': false,
        'retry-after': false,
      },
      // None on the answers under the limit: three more headers on every write cost about as much
      // CPU as the counting itself (bench/probes/rate-limit-overhead.ts: about half the limiter's
      // cost per write), for a one-second window a client cannot usefully pace itself by.
      addHeadersOnExceeding: {
        'ratelimit-limit': false,
        'ratelimit-remaining': false,
        'ratelimit-reset': false,
      },
    });
    if (store) {
      fastify.addHook('onClose', async () => store.close());
      await store.ready;
    }

    const writes = this.settings.writesPerSecondPerKey;
    const writesPerKey: onRequestAsyncHookHandler = fastify.rateLimit({
      max: writes,
      timeWindow: 1_000,
      keyGenerator: (request) => `writes:${request.principal?.name ?? ''}`,
      errorResponseBuilder: (_request, context) =>
        new RateLimitedError('writes per API key', writes, 1, seconds(context.ttl)),
      // Spread: the in-process store reads `cache` from these options, the typings do not list it.
      ...{ cache: COUNTERS_KEPT },
    });
    fastify.addHook('onRoute', (route) => {
      if (!(route.config as RouteFlags | undefined)?.write) return;
      route.onRequest = [...[route.onRequest ?? []].flat(), writesPerKey];
    });

    for (const [policy, limits] of Object.entries(ACCOUNT_POLICIES) as Array<
      [AccountPolicy, (typeof ACCOUNT_POLICIES)[AccountPolicy]]
    >) {
      const { what, max, windowSeconds } = limits(this.settings);
      this.accountLimiters.set(policy, limiter(fastify, what, max, windowSeconds));
    }
    for (const [policy, limits] of Object.entries(MISS_POLICIES) as Array<
      [MissPolicy, (typeof MISS_POLICIES)[MissPolicy]]
    >) {
      const { what, max, windowSeconds } = limits(this.settings);
      this.missCounters.set(
        policy,
        store
          ? new RedisMissCounters(store.client, store.nameSpace, what, max, windowSeconds)
          : new LocalMissCounters(what, max, windowSeconds, this.clock, COUNTERS_KEPT),
      );
    }
    this.authFailures = limiter(
      fastify,
      'failed authentications per client address',
      this.settings.authFailuresPerMinutePerAddress,
      60,
    );
  }

  /** Counts one request of `policy` for the account; the error to answer once over its limit. */
  forAccount(policy: AccountPolicy, accountId: string): Promise<RateLimitedError | null> {
    return this.installed(this.accountLimiters.get(policy))({ key: `${policy}:${accountId}` });
  }

  /** The error to answer when the account used up its misses of `policy` in the current window. */
  missesExhausted(policy: MissPolicy, accountId: string): Promise<RateLimitedError | null> {
    return this.misses(policy).blocked(`${policy}:${accountId}`);
  }

  /** Counts one miss (a wrong gift code) of the account. */
  recordMiss(policy: MissPolicy, accountId: string): Promise<void> {
    return this.misses(policy).recordMiss(`${policy}:${accountId}`);
  }

  private misses(policy: MissPolicy): MissCounters {
    const counters = this.missCounters.get(policy);
    if (!counters) throw new Error('RateLimits.install() has not run');
    return counters;
  }

  recordFailure(request: FastifyRequest): Promise<RateLimitedError | null> {
    return this.installed(this.authFailures)({ key: `auth-failures:${normalizeIP(request.ip)}` });
  }

  private installed(limit: Limiter | null | undefined): Limiter {
    if (!limit) throw new Error('RateLimits.install() has not run');
    return limit;
  }
}

/**
 * A counter set keyed by what the caller passes (not by the request), from the library's
 * `createRateLimit`. The subject stands in for the request: the library reads only the key and the
 * (absent) route config from it.
 */
function limiter(
  fastify: FastifyInstance,
  what: string,
  max: number,
  windowSeconds: number,
): Limiter {
  const check = fastify.createRateLimit({
    max,
    timeWindow: windowSeconds * 1_000,
    keyGenerator: (subject) => (subject as unknown as { key: string }).key,
    ...{ cache: COUNTERS_KEPT },
  });
  return async (subject) => {
    const outcome = await check({ ...subject, routeOptions: {} } as unknown as FastifyRequest);
    return !outcome.isAllowed && outcome.isExceeded
      ? new RateLimitedError(what, max, windowSeconds, seconds(outcome.ttl))
      : null;
  };
}

function seconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1_000));
}
