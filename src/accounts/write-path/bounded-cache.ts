/**
 * An optional second bound: the sum of the entries' weights (an estimate of their bytes, say). Each
 * entry counts as at least `minWeight`, and only the heavier ones remember their weight (in a side
 * map): most entries are light, and a weight stored beside each would cost ≈ 40 bytes per entry.
 */
export interface CacheWeights<V> {
  maxWeight: number;
  minWeight: number;
  /** Cheap (it runs on every set and keep) and not negative. */
  weigh(value: V): number;
}

/**
 * A least-recently-used map with a hard entry limit and, optionally, a limit on the sum of its
 * entries' weights. Map keeps insertion order, so re-inserting on access makes the first key the
 * least recently used. A value may change after it is cached (the account cache folds states in
 * place): its weight is read again whenever it is set or kept, not on every change.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The weights above `minWeight`, by key: what evicting those entries gives back. */
  private readonly heavyWeights = new Map<K, number>();
  private evictionCount = 0;
  private weightSum = 0;

  constructor(
    readonly maxEntries: number,
    private readonly weights?: CacheWeights<V>,
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value without counting it as a use. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Weighs the cached value again (it changed in place), keeping its place in the order. */
  reweigh(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined || !this.weights) return;
    this.weighOut(key);
    this.weighIn(key, value);
    this.evictPastLimits();
  }

  set(key: K, value: V): void {
    if (this.maxEntries <= 0) return;
    this.delete(key);
    this.entries.set(key, value);
    this.weighIn(key, value);
    this.evictPastLimits();
  }

  /**
   * Makes sure `value` is cached under `key`, as set does, except that when it still is, its place
   * in the order stays: the get that handed it out already counted as its use. The write path puts
   * the state it folded back after every append; moving it again was two more map operations per
   * command for nothing. Its weight is read again: the append may have grown it.
   */
  keep(key: K, value: V): void {
    if (this.entries.get(key) !== value) return this.set(key, value);
    if (!this.weights) return;
    this.weighOut(key);
    this.weighIn(key, value);
    this.evictPastLimits();
  }

  delete(key: K): void {
    if (!this.entries.delete(key)) return;
    this.weighOut(key);
  }

  clear(): void {
    this.entries.clear();
    this.heavyWeights.clear();
    this.weightSum = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get evictions(): number {
    return this.evictionCount;
  }

  /** The sum of the cached entries' weights, each at least `minWeight` (0 without weights). */
  get weight(): number {
    return this.weightSum;
  }

  private weighIn(key: K, value: V): void {
    if (!this.weights) return;
    const weight = this.weights.weigh(value);
    if (weight > this.weights.minWeight) {
      this.heavyWeights.set(key, weight);
      this.weightSum += weight;
    } else {
      this.weightSum += this.weights.minWeight;
    }
  }

  private weighOut(key: K): void {
    if (!this.weights) return;
    const heavy = this.heavyWeights.get(key);
    if (heavy === undefined) {
      this.weightSum -= this.weights.minWeight;
    } else {
      this.heavyWeights.delete(key);
      this.weightSum -= heavy;
    }
  }

  /**
   * Oldest first. By weight, never the last entry: one value heavier than the whole limit stays
   * cached alone (dropping it would only make every use of it a reload).
   */
  private evictPastLimits(): void {
    const maxWeight = this.weights?.maxWeight ?? Infinity;
    while (
      this.entries.size > this.maxEntries ||
      (this.weightSum > maxWeight && this.entries.size > 1)
    ) {
      const oldest = this.entries.keys().next().value as K;
      this.delete(oldest);
      this.evictionCount += 1;
    }
  }
}
