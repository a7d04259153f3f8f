/**
 * A least-recently-used map with a hard entry limit. Map keeps insertion order, so re-inserting
 * on access makes the first key the least recently used.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private evictionCount = 0;

  constructor(readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
      this.evictionCount += 1;
    }
  }

  /**
   * Makes sure `value` is cached under `key`, as set does, except that when it still is, its place
   * in the order stays: the get that handed it out already counted as its use. The write path puts
   * the state it folded back after every append; moving it again was two more map operations per
   * command for nothing.
   */
  keep(key: K, value: V): void {
    if (this.entries.get(key) !== value) this.set(key, value);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  get evictions(): number {
    return this.evictionCount;
  }
}
