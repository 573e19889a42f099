import { describe, expect, it } from 'vitest';

import { TtlLruCache } from './cache.js';

describe('TtlLruCache', () => {
  it('counts a hit while fresh, stale after the TTL, and a miss when absent', () => {
    const cache = new TtlLruCache<{ n: number }>({ ttlMs: 1000 });
    cache.set('a', { n: 1 }, 0);

    expect(cache.get('a', 500)).toEqual({ value: { n: 1 }, fresh: true });
    expect(cache.get('a', 1500)).toEqual({ value: { n: 1 }, fresh: false });
    expect(cache.get('b', 1500)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, stale: 1, misses: 1, size: 1 });
  });

  it('counts an entry the caller does not accept as a miss', () => {
    const cache = new TtlLruCache<{ n: number }>();
    cache.set('a', { n: 1 }, 0);

    expect(cache.get('a', 0, (value) => value.n === 2)).toBeUndefined();
    expect(cache.stats().misses).toBe(1);
  });

  it('drops the least recently used entry beyond its size', () => {
    const cache = new TtlLruCache<{ n: number }>({ maxEntries: 2 });
    cache.set('a', { n: 1 }, 0);
    cache.set('b', { n: 2 }, 0);
    cache.get('a', 0);
    cache.set('c', { n: 3 }, 0);

    expect(cache.peek('b')).toBeUndefined();
    expect(cache.peek('a')).toEqual({ n: 1 });
  });

  it('drops every entry when cleared, and keeps counting', () => {
    const cache = new TtlLruCache<{ n: number }>();
    cache.set('a', { n: 1 }, 0);
    cache.get('a', 0);
    cache.clear();

    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 0 });
  });
});
