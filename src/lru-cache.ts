/**
 * A bounded least-recently-used cache. It holds at most `maxEntries` values and, when `sizeOf` is
 * given, values of at most `maxBytes` in all; beyond either bound the least recently used values
 * go first. A value larger than maxBytes on its own is not kept. Platform-free.
 */

interface CacheBounds<V> {
  /** Values kept at most (≥ 1). */
  readonly maxEntries: number;
  /** With sizeOf: the total size kept at most, in the units sizeOf returns (bytes). */
  readonly maxBytes?: number;
  readonly sizeOf?: (value: V) => number;
}

export class LruCache<K, V> {
  /** A Map iterates in insertion order: the first key is the least recently used. */
  private readonly values = new Map<K, { readonly value: V; readonly size: number }>();
  private total = 0;

  constructor(private readonly bounds: CacheBounds<V>) {
    if (!Number.isSafeInteger(bounds.maxEntries) || bounds.maxEntries < 1) {
      throw new RangeError(`maxEntries ${bounds.maxEntries} is not a whole number ≥ 1`);
    }
    if ((bounds.maxBytes === undefined) !== (bounds.sizeOf === undefined)) {
      throw new RangeError('maxBytes and sizeOf go together');
    }
  }

  get size(): number {
    return this.values.size;
  }

  /** The value, now the most recently used; undefined when not kept. */
  get(key: K): V | undefined {
    const held = this.values.get(key);
    if (!held) return undefined;
    this.values.delete(key);
    this.values.set(key, held);
    return held.value;
  }

  /** Keeps `value` as the most recently used, dropping the least recently used beyond the bounds. */
  set(key: K, value: V): void {
    this.delete(key);
    const size = this.bounds.sizeOf?.(value) ?? 0;
    if (this.bounds.maxBytes !== undefined && size > this.bounds.maxBytes) return;
    this.values.set(key, { value, size });
    this.total += size;
    while (this.overBounds()) this.delete(this.values.keys().next().value as K);
  }

  private overBounds(): boolean {
    const { maxEntries, maxBytes } = this.bounds;
    return this.values.size > maxEntries || (maxBytes !== undefined && this.total > maxBytes);
  }

  private delete(key: K): void {
    const held = this.values.get(key);
    if (!held) return;
    this.values.delete(key);
    this.total -= held.size;
  }
}
