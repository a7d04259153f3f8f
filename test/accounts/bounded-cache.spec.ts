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

describe('BoundedCache with weights', () => {
  const byLength = (maxWeight: number) =>
    new BoundedCache<string, string[]>(10, {
      maxWeight,
      minWeight: 0,
      weigh: (value) => value.length,
    });

  it('evicts the least recently used entries while the weights sum past the limit', () => {
    const cache = byLength(5);
    cache.set('a', ['x', 'x']);
    cache.set('b', ['x', 'x']);
    cache.get('a');
    cache.set('c', ['x', 'x']);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.weight).toBe(4);
    expect(cache.evictions).toBe(1);
  });

  it('weighs a value again when it is kept: one that grew in place pushes older ones out', () => {
    const cache = byLength(5);
    const grows = ['x'];
    cache.set('old', ['x', 'x']);
    cache.set('grows', grows);
    grows.push('x', 'x', 'x');
    expect(cache.weight).toBe(3);
    cache.keep('grows', grows);
    expect(cache.weight).toBe(4);
    grows.push('x', 'x');
    cache.keep('grows', grows);
    expect(cache.get('old')).toBeUndefined();
    expect(cache.weight).toBe(6);
  });

  it('keeps a single value heavier than the whole limit, alone', () => {
    const cache = byLength(3);
    cache.set('a', ['x']);
    cache.set('huge', ['x', 'x', 'x', 'x', 'x']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('huge')).toHaveLength(5);
    expect(cache.size).toBe(1);
  });

  it('gives a deleted or replaced value its weight back', () => {
    const cache = byLength(100);
    cache.set('a', ['x', 'x']);
    cache.set('a', ['x']);
    cache.set('b', ['x', 'x', 'x']);
    expect(cache.weight).toBe(4);
    cache.delete('b');
    cache.delete('missing');
    expect(cache.weight).toBe(1);
    cache.clear();
    expect(cache.weight).toBe(0);
  });

  it('counts a light entry as the minimum weight, and one that grows past it by its own', () => {
    const cache = new BoundedCache<string, string[]>(10, {
      maxWeight: 100,
      minWeight: 3,
      weigh: (value) => value.length,
    });
    const grows = ['x'];
    cache.set('light', ['x', 'x']);
    cache.set('grows', grows);
    expect(cache.weight).toBe(6);
    grows.push('x', 'x', 'x', 'x');
    cache.keep('grows', grows);
    expect(cache.weight).toBe(3 + 5);
    grows.length = 1;
    cache.keep('grows', grows);
    expect(cache.weight).toBe(6);
    cache.delete('light');
    cache.delete('grows');
    expect(cache.weight).toBe(0);
  });
});
