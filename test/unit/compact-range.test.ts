/** The compact range against the naive RFC 6962 §2.1 oracle (test/support/naive-merkle.ts). */
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../src/bytes.js';
import { CompactRange, CompactRangeError, perfectSubtrees } from '../../src/merkle/compact-range.js';
import { leafHash } from '../../src/merkle/hash.js';
import { leaves, mth, path } from '../support/naive-merkle.js';

const hex = (b: Uint8Array): string => toHex(b);

describe('CompactRange', () => {
  const all = leaves(300);

  it('has the root of the naive tree at every size up to 300, leaf by leaf', () => {
    const range = CompactRange.empty();
    expect(hex(range.root())).toBe(hex(sha256(new Uint8Array(0))));
    for (let n = 1; n <= 300; n++) {
      range.append(all[n - 1]!);
      expect(range.size).toBe(n);
      expect(hex(range.root()), `size ${n}`).toBe(hex(mth(all.slice(0, n))));
      const expected = perfectSubtrees(n).map(([s, k]) => hex(mth(all.slice(s, s + k))));
      expect(
        range.hashes().map((h) => hex(h)),
        `size ${n}`,
      ).toEqual(expected);
    }
  });

  it('resumes from its stored bytes at every size up to 300', () => {
    const range = CompactRange.empty();
    for (let n = 0; n < 300; n++) {
      const resumed = CompactRange.fromBytes(range.size, range.bytes());
      resumed.append(all[n]!);
      range.append(all[n]!);
      expect(hex(resumed.root()), `size ${n + 1}`).toBe(hex(range.root()));
    }
  });

  it("is rebuilt from the last leaf's audit path at every size up to 300", () => {
    for (let n = 1; n <= 300; n++) {
      const range = CompactRange.fromLastLeafPath(n, all[n - 1]!, path(n - 1, all.slice(0, n)));
      expect(hex(range.root()), `size ${n}`).toBe(hex(mth(all.slice(0, n))));
      range.append(all[n % 300]!);
      expect(hex(range.root()), `size ${n + 1}`).toBe(hex(mth([...all.slice(0, n), all[n % 300]!])));
    }
  });

  it('agrees with the naive tree at random larger sizes', () => {
    let seed = 7;
    const random = (max: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % max;
    const many = Array.from({ length: 5000 }, (_, i) => leafHash(Uint8Array.of(i & 255, i >> 8, 9)));
    const range = CompactRange.empty();
    const sizes = new Set(Array.from({ length: 12 }, () => 301 + random(4699)));
    for (let n = 1; n <= 5000; n++) {
      range.append(many[n - 1]!);
      if (sizes.has(n)) {
        expect(hex(range.root()), `size ${n}`).toBe(hex(mth(many.slice(0, n))));
        const fromPath = CompactRange.fromLastLeafPath(n, many[n - 1]!, path(n - 1, many.slice(0, n)));
        expect(fromPath.hashes().map((h) => hex(h))).toEqual(range.hashes().map((h) => hex(h)));
      }
    }
  });

  it('refuses stored ranges of the wrong shape, naming it', () => {
    const h = all[0]!;
    const wrongCount = new CompactRangeError('a range of 3 leaves has 2 subtree roots, not 1');
    expect(() => CompactRange.fromHashes(3, [h])).toThrow(wrongCount);
    expect(() => CompactRange.fromHashes(1, [h.subarray(1)])).toThrow('subtree root 0 is 31 bytes, not 32');
    expect(() => CompactRange.fromBytes(2, new Uint8Array(33))).toThrow('33 bytes are not a whole number of 32-byte');
    expect(() => CompactRange.fromHashes(-1, [])).toThrow('size -1 is not a whole number ≥ 0');
    expect(() => CompactRange.fromLastLeafPath(6, h, [h])).toThrow('tree of 6 has a path of 2 hashes, not 1');
    expect(() => CompactRange.empty().append(new Uint8Array(31))).toThrow('a leaf hash is 32 bytes, not 31');
  });

  it('decomposes sizes into perfect subtrees, largest first', () => {
    expect(perfectSubtrees(0)).toEqual([]);
    expect(perfectSubtrees(13)).toEqual([
      [0, 8],
      [8, 4],
      [12, 1],
    ]);
    expect(perfectSubtrees(2 ** 40 + 3)).toEqual([
      [0, 2 ** 40],
      [2 ** 40, 2],
      [2 ** 40 + 2, 1],
    ]);
  });
});
