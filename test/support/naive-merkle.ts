/**
 * A Merkle tree written straight from RFC 6962 §2.1's recursive definitions (MTH, PATH, SUBPROOF),
 * slow and obvious, to check the verifiers against every tree size and index.
 */
import type { Bytes } from '../../src/bytes.js';
import { leafHash, nodeHash } from '../../src/merkle/hash.js';
import { sha256 } from '../../src/bytes.js';

/** The largest power of two smaller than n (n > 1). */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * MTH(D[n]) over leaf hashes (already hashed with 0x00). Memoised by (first leaf object, count):
 * slices share the leaf objects, so that pair names one subtree.
 */
const memo = new WeakMap<Bytes, Map<number, Bytes>>();
export function mth(leaves: readonly Bytes[]): Bytes {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  const byCount = memo.get(leaves[0]!) ?? new Map<number, Bytes>();
  memo.set(leaves[0]!, byCount);
  const known = byCount.get(leaves.length);
  if (known) return known;
  const k = split(leaves.length);
  const root = nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
  byCount.set(leaves.length, root);
  return root;
}

/** PATH(m, D[n]): the inclusion proof of leaf m. */
export function path(m: number, leaves: readonly Bytes[]): Bytes[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true): the consistency proof from size m. */
export function proof(m: number, leaves: readonly Bytes[]): Bytes[] {
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly Bytes[], b: boolean): Bytes[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [mth(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

export const leaves = (n: number, seed = 0): Bytes[] =>
  Array.from({ length: n }, (_, i) => leafHash(Uint8Array.of(seed, i, i >> 8)));
