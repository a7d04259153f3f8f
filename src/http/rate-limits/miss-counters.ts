import type Redis from 'ioredis';
import type { Clock } from '../../shared/clock';
import { RateLimitedError } from '../errors/rate-limited.error';

/**
 * Counters of failed attempts (wrong gift codes) in fixed windows that start with the first miss.
 * Unlike the request limits, only misses count, and a subject that reached the limit is refused
 * whatever it sends until its window ends: `blocked` looks without counting, `recordMiss` counts.
 */
export interface MissCounters {
  blocked(key: string): Promise<RateLimitedError | null>;
  recordMiss(key: string): Promise<void>;
}

interface Window {
  misses: number;
  resetAtMs: number;
}

/** In this process: a bounded map (least recently used dropped first), timed by the one Clock. */
export class LocalMissCounters implements MissCounters {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly what: string,
    private readonly max: number,
    private readonly windowSeconds: number,
    private readonly clock: Clock,
    private readonly keysKept: number,
  ) {}

  blocked(key: string): Promise<RateLimitedError | null> {
    const window = this.current(key);
    return Promise.resolve(
      window && window.misses >= this.max
        ? limited(this.what, this.max, this.windowSeconds, window.resetAtMs - this.nowMs())
        : null,
    );
  }

  recordMiss(key: string): Promise<void> {
    const window = this.current(key) ?? {
      misses: 0,
      resetAtMs: this.nowMs() + this.windowSeconds * 1_000,
    };
    window.misses += 1;
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.keysKept) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    return Promise.resolve();
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetAtMs <= this.nowMs()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}

/**
 * In the Redis every replica shares (RATE_LIMIT_REDIS_URL): a key per subject whose expiry is the
 * window's end (Redis's clock). A Redis that fails lets the attempt through, like the other limits.
 */
export class RedisMissCounters implements MissCounters {
  constructor(
    private readonly redis: Redis,
    private readonly nameSpace: string,
    private readonly what: string,
    private readonly max: number,
    private readonly windowSeconds: number,
  ) {}

  async blocked(key: string): Promise<RateLimitedError | null> {
    try {
      const [misses, ttlMs] = await Promise.all([
        this.redis.get(this.nameSpace + key),
        this.redis.pttl(this.nameSpace + key),
      ]);
      return Number(misses ?? 0) >= this.max && ttlMs > 0
        ? limited(this.what, this.max, this.windowSeconds, ttlMs)
        : null;
    } catch {
      return null;
    }
  }

  async recordMiss(key: string): Promise<void> {
    try {
      const misses = await this.redis.incr(this.nameSpace + key);
      if (misses === 1) await this.redis.pexpire(this.nameSpace + key, this.windowSeconds * 1_000);
    } catch {
      // Counted nowhere: the limit protects against guessing, the ledger does not depend on it.
    }
  }
}

function limited(what: string, max: number, windowSeconds: number, leftMs: number) {
  return new RateLimitedError(what, max, windowSeconds, Math.max(1, Math.ceil(leftMs / 1_000)));
}
