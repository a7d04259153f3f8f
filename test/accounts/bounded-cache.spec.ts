import { BoundedCache } from '../../src/accounts/write-path/bounded-cache';

describe('BoundedCache', () => {
  it('evicts the least recently used entry past its limit', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
    expect(cache.evictions).toBe(1);
  });

  it('keeps a value still cached where it is, and puts back one that was evicted or replaced', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.keep('a', 1);
    cache.set('c', 3);
    // 'a' did not move: it was the least recently used.
    expect(cache.get('a')).toBeUndefined();
    cache.keep('a', 1);
    expect(cache.evictions).toBe(2);
    expect(cache.get('a')).toBe(1);
    cache.keep('a', 4);
    expect(cache.get('a')).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing with a limit of zero', () => {
    const cache = new BoundedCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
