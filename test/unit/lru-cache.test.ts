/** The one bounded cache (src/lru-cache.ts): least recently used first out, by entries or bytes. */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/lru-cache.js';

describe('LruCache', () => {
  it('keeps at most maxEntries; a read makes a value the most recently used', () => {
    const cache = new LruCache<string, number>({ maxEntries: 3 });
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      cache.set(k, v);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect([cache.get('b'), cache.get('c'), cache.get('a'), cache.get('d')]).toEqual([undefined, 3, 1, 4]);
    expect(cache.size).toBe(3);
    // Setting a kept key again refreshes it and does not count twice.
    cache.set('c', 30);
    cache.set('e', 5);
    expect([cache.get('a'), cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([undefined, 30, 4, 5]);
  });

  it('with sizeOf, keeps at most maxBytes, dropping the least recently used; a value too large is not kept', () => {
    const cache = new LruCache<string, Uint8Array>({ maxEntries: 100, maxBytes: 10, sizeOf: (v) => v.length });
    cache.set('a', new Uint8Array(4));
    cache.set('b', new Uint8Array(4));
    cache.get('a');
    cache.set('c', new Uint8Array(4));
    expect([cache.get('a')?.length, cache.get('b'), cache.get('c')?.length]).toEqual([4, undefined, 4]);
    cache.set('huge', new Uint8Array(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
    // Replacing a value frees its old size.
    cache.set('a', new Uint8Array(6));
    expect([cache.get('a')?.length, cache.get('c')?.length]).toEqual([6, 4]);
    cache.set('d', new Uint8Array(1));
    expect([cache.get('a'), cache.get('c')?.length, cache.get('d')?.length]).toEqual([undefined, 4, 1]);
  });

  it('refuses bounds that cannot hold anything or half a byte bound', () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LruCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new LruCache<string, Uint8Array>({ maxEntries: 1, maxBytes: 5 })).toThrow(RangeError);
  });
});
