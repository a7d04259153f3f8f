import { DEFAULT_RATE_CARD } from './rate-card/default-rate-card';
import type { RateCard } from './rate-card/rate-card';
import { INITIAL_RATE_CARD_STATE } from './rate-card/rate-card-decider';
import { RateCards } from './rate-card/rate-cards';
import type { RateCardStream } from './rate-card-stream';
import { VersionCache } from './version-cache';

/**
 * How long `current()` trusts the card it holds before looking at the stream's tail again: the
 * longest a card published by another process stays unseen by this one (plus one query).
 */
export const RATE_CARD_REFRESH_MS = 1_000;
/**
 * Older versions kept in memory. Cards are published by hand (a few thousand versions over a
 * service's life at most), and holds and quotes live minutes: the recent versions they name fit
 * easily; an older one is one event read.
 */
export const MAX_CACHED_VERSIONS = 64;

export interface RateCardCacheOptions {
  refreshIntervalMs: number;
  maxCachedVersions: number;
  /** A monotonic clock in milliseconds (tests pass their own). */
  nowMs: () => number;
}

const DEFAULT_OPTIONS: RateCardCacheOptions = {
  refreshIntervalMs: RATE_CARD_REFRESH_MS,
  maxCachedVersions: MAX_CACHED_VERSIONS,
  nowMs: () => performance.now(),
};

/**
 * The RateCards port, from memory. `current()` is the spend path's: it answers the card it holds
 * for RATE_CARD_REFRESH_MS after it last looked at the stream, then looks again (one query for
 * the stream's revision, one event read only when a new version was published; concurrent callers
 * share one look). A card this process publishes is adopted as soon as its append is durable, so a
 * quote here never uses a card older than one published here. `version(n)` is one event read at
 * most (version n is the event at revision n − 1), then cached (MAX_CACHED_VERSIONS, LRU).
 */
export class CachedRateCards extends RateCards {
  private newestCard: RateCard = INITIAL_RATE_CARD_STATE;
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  private looking: Promise<RateCard> | null = null;
  private readonly older: VersionCache;
  /** Reads of one version in flight, shared (a burst of captures at a version not cached yet). */
  private readonly reading = new Map<number, Promise<RateCard | null>>();
  private readonly options: RateCardCacheOptions;

  constructor(
    private readonly stream: RateCardStream,
    options: Partial<RateCardCacheOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.older = new VersionCache(this.options.maxCachedVersions);
  }

  current(): Promise<RateCard> {
    if (this.options.nowMs() - this.checkedAtMs < this.options.refreshIntervalMs)
      return Promise.resolve(this.newestCard);
    return this.newest();
  }

  /** The newest card in the stream, looked up now whatever the interval (GET, publishing). */
  newest(): Promise<RateCard> {
    this.looking ??= this.lookAtTail().finally(() => {
      this.looking = null;
    });
    return this.looking;
  }

  async version(version: number): Promise<RateCard | null> {
    if (!Number.isSafeInteger(version) || version < 0) return null;
    if (version === 0) return DEFAULT_RATE_CARD;
    if (version === this.newestCard.version) return this.newestCard;
    const cached = this.older.get(version);
    if (cached) return cached;
    let read = this.reading.get(version);
    if (!read) {
      read = this.stream.read(version).finally(() => this.reading.delete(version));
      this.reading.set(version, read);
    }
    const card = await read;
    if (card) this.adopt(card);
    return card;
  }

  /**
   * A card read or published by this process. Only a newer version replaces the newest one, so a
   * slow look at the tail that started before a publication can never bring an older card back.
   */
  adopt(card: RateCard): void {
    if (card.version > this.newestCard.version) {
      if (this.newestCard.version > 0) this.older.set(this.newestCard);
      this.newestCard = card;
    } else if (card.version < this.newestCard.version && card.version > 0) {
      this.older.set(card);
    }
  }

  private async lookAtTail(): Promise<RateCard> {
    // The interval counts from before the look: what was published before it is seen.
    const startedMs = this.options.nowMs();
    const newest = await this.stream.newestVersion();
    if (newest > this.newestCard.version) {
      const card = await this.stream.read(newest);
      if (card) this.adopt(card);
    }
    this.checkedAtMs = Math.max(this.checkedAtMs, startedMs);
    return this.newestCard;
  }
}
