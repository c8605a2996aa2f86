/**
 * Merkle proofs: the RFC 6962 reference tree's published roots and proofs (as in
 * google/certificate-transparency's tests), and every size and index up to 64 leaves against a
 * tree built from the RFC's own recursive definitions.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/bytes.js';
import { leafHash } from '../../src/merkle/hash.js';
import {
  ProofError,
  RootMismatchError,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle/verify.js';
import { leaves, mth, path, proof } from '../support/naive-merkle.js';

const REF_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => leafHash(fromHex(h)));
const REF_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const root = (n: number) => fromHex(REF_ROOTS[n]!);
const hashes = (list: string[]) => list.map(fromHex);

describe('the RFC 6962 reference tree', () => {
  it('roots of sizes 0 to 8', () => {
    for (let n = 0; n <= 8; n++) expect(toHex(mth(REF_LEAVES.slice(0, n))), `size ${n}`).toBe(REF_ROOTS[n]);
  });

  it.each([
    [
      0,
      8,
      [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    ],
    [
      5,
      8,
      [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
    [
      1,
      5,
      [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    ],
  ])('inclusion of leaf %i in tree %i', (index, size, expected) => {
    expect(path(index, REF_LEAVES.slice(0, size)).map((h) => toHex(h))).toEqual(expected);
    expect(() => verifyInclusion(index, size, REF_LEAVES[index]!, hashes(expected), root(size))).not.toThrow();
  });

  it.each([
    [1, 1, []],
    [
      1,
      8,
      [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    ],
    [
      6,
      8,
      [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [
      2,
      5,
      [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    ],
  ])('consistency %i → %i', (size1, size2, expected) => {
    expect(proof(size1, REF_LEAVES.slice(0, size2)).map((h) => toHex(h))).toEqual(expected);
    expect(() => verifyConsistency(size1, size2, hashes(expected), root(size1), root(size2))).not.toThrow();
  });

  it('a wrong root is reported with the expected and the computed value', () => {
    const p = hashes(['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']);
    try {
      verifyInclusion(2, 3, REF_LEAVES[2]!, p, root(4));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RootMismatchError);
      expect(toHex((e as RootMismatchError).expected)).toBe(REF_ROOTS[4]);
      expect(toHex((e as RootMismatchError).computed)).toBe(REF_ROOTS[3]);
      expect((e as Error).message).toBe(
        `inclusion of leaf 2 in tree 3: computed root ${REF_ROOTS[3]}, expected ${REF_ROOTS[4]}`,
      );
    }
  });
});

describe('every tree size and index up to 64 leaves', () => {
  const MAX = 64;
  const all = leaves(MAX);
  const roots = Array.from({ length: MAX + 1 }, (_, n) => mth(all.slice(0, n)));
  const flip = (h: Uint8Array) => Uint8Array.from(h, (b, i) => (i === 0 ? b ^ 1 : b));

  it(
    'inclusion: every proof verifies; a changed hash, leaf, index or size, ' +
      'or a proof one hash short or long, does not',
    () => {
      let checked = 0;
      for (let n = 1; n <= MAX; n++) {
        for (let m = 0; m < n; m++) {
          const p = path(m, all.slice(0, n));
          expect(toHex(rootFromInclusionProof(m, n, all[m]!, p))).toBe(toHex(roots[n]!));
          verifyInclusion(m, n, all[m]!, p, roots[n]!);
          for (let i = 0; i < p.length; i++) {
            const bad = p.map((h, k) => (k === i ? flip(h) : h));
            expect(() => verifyInclusion(m, n, all[m]!, bad, roots[n]!)).toThrow(RootMismatchError);
          }
          expect(() => verifyInclusion(m, n, flip(all[m]!), p, roots[n]!)).toThrow(ProofError);
          if (n > 1) expect(() => verifyInclusion((m + 1) % n, n, all[m]!, p, roots[n]!)).toThrow(ProofError);
          expect(() => verifyInclusion(m, n + 1, all[m]!, p, roots[n + 1] ?? roots[n]!)).toThrow(ProofError);
          expect(() => verifyInclusion(m, n, all[m]!, [...p, roots[0]!], roots[n]!)).toThrow(ProofError);
          if (p.length) expect(() => verifyInclusion(m, n, all[m]!, p.slice(1), roots[n]!)).toThrow(ProofError);
          checked++;
        }
      }
      expect(checked).toBe((MAX * (MAX + 1)) / 2);
    },
  );

  it('consistency: every proof verifies; a changed hash or root, or wrong sizes, does not', () => {
    let checked = 0;
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const p = proof(m, all.slice(0, n));
        verifyConsistency(m, n, p, roots[m]!, roots[n]!);
        for (let i = 0; i < p.length; i++) {
          const bad = p.map((h, k) => (k === i ? flip(h) : h));
          expect(() => verifyConsistency(m, n, bad, roots[m]!, roots[n]!), `${m}→${n} hash ${i}`).toThrow(ProofError);
        }
        if (m < n) {
          expect(() => verifyConsistency(m, n, p, flip(roots[m]!), roots[n]!)).toThrow(ProofError);
          expect(() => verifyConsistency(m, n, p, roots[m]!, flip(roots[n]!))).toThrow(ProofError);
          expect(() => verifyConsistency(m, n + 1, p, roots[m]!, roots[n + 1] ?? roots[n]!)).toThrow(ProofError);
          expect(() => verifyConsistency(m, n, [...p, roots[1]!], roots[m]!, roots[n]!)).toThrow(ProofError);
        }
        checked++;
      }
    }
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });
});

describe('malformed proofs are refused, naming the problem', () => {
  const r = new Uint8Array(32);
  it.each([
    [() => verifyInclusion(3, 3, r, [], r), 'leaf index 3 is not in a tree of size 3'],
    [() => verifyInclusion(0, 1, r.subarray(1), [], r), 'leaf hash is 31 bytes, expected 32'],
    [() => verifyInclusion(0, 2, r, [new Uint8Array(33)], r), 'proof hash 0 is 33 bytes, expected 32'],
    [() => verifyInclusion(-1, 2, r, [], r), 'leaf index -1 is not a whole number ≥ 0'],
    [() => verifyInclusion(0, 2.5, r, [], r), 'tree size 2.5 is not a whole number ≥ 0'],
    [() => verifyConsistency(5, 4, [r], r, r), 'the second tree (4) is smaller than the first (5)'],
    [() => verifyConsistency(4, 4, [r], r, r), 'a proof between equal sizes must be empty, not 1 hashes'],
    [() => verifyConsistency(3, 4, [], r, r), 'empty consistency proof from 3 to 4'],
    [() => verifyConsistency(0, 4, [r], r, r), 'a proof from the empty tree must be empty, not 1 hashes'],
  ])('%#', (fn, message) => {
    expect(fn).toThrow(message);
  });

  it('two different roots for one size are a mismatch (a split view)', () => {
    expect(() => verifyConsistency(4, 4, [], root(4), root(5))).toThrow(RootMismatchError);
  });
});
