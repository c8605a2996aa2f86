/**
 * A compact range over the leaves [0, size) of a CT log's Merkle tree (RFC 6962 §2.1, RFC 9162
 * §2.1.1): the roots of the perfect subtrees along the tree's right edge, one per set bit of
 * `size`, largest (leftmost) first, as transparency-dev/merkle's compact/range.go keeps them.
 * Appending a leaf hash merges equal-sized subtrees, so a monitor that streams a log's entries
 * keeps O(log n) hashes and can compute MTH(D[size]) at any point, to compare with a signed root.
 * Platform-free.
 */
import { concatBytes, sha256, type Bytes } from '../bytes.js';
import { HASH_SIZE, nodeHash } from './hash.js';
import type { Subtree } from './proof-nodes.js';

export class CompactRangeError extends Error {
  override name = 'CompactRangeError';
}

/** The number of set bits of a safe integer ≥ 0 (bit operations stop at 2^31). */
function setBits(n: number): number {
  let count = 0;
  for (; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

/**
 * The perfect subtrees [start, 2^k) that make [0, size), largest first: the nodes a compact
 * range holds. Precondition: size is a safe integer ≥ 0.
 */
export function perfectSubtrees(size: number): Subtree[] {
  const out: Subtree[] = [];
  let start = 0;
  let power = 1;
  while (power * 2 <= size) power *= 2;
  for (; power >= 1; power /= 2) {
    if (size - start >= power) {
      out.push([start, power]);
      start += power;
    }
  }
  return out;
}

export class CompactRange {
  private constructor(
    private count: number,
    private readonly roots: Bytes[],
  ) {}

  /** The range of the empty tree. */
  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /**
   * The range of [0, size) from its subtree roots, largest first (as `hashes` gives them). Throws
   * CompactRangeError when there are not exactly as many 32-byte hashes as `size` has set bits.
   */
  static fromHashes(size: number, hashes: readonly Bytes[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new CompactRangeError(`size ${size} is not a whole number ≥ 0`);
    }
    const expected = setBits(size);
    if (hashes.length !== expected) {
      throw new CompactRangeError(`a range of ${size} leaves has ${expected} subtree roots, not ${hashes.length}`);
    }
    hashes.forEach((h, i) => {
      if (h.length !== HASH_SIZE) {
        throw new CompactRangeError(`subtree root ${i} is ${h.length} bytes, not ${HASH_SIZE}`);
      }
    });
    return new CompactRange(
      size,
      hashes.map((h) => h.slice()),
    );
  }

  /** fromHashes over the hashes back to back (what `bytes()` writes). */
  static fromBytes(size: number, bytes: Bytes): CompactRange {
    if (bytes.length % HASH_SIZE !== 0) {
      throw new CompactRangeError(`${bytes.length} bytes are not a whole number of ${HASH_SIZE}-byte hashes`);
    }
    const hashes = Array.from({ length: bytes.length / HASH_SIZE }, (_, i) =>
      bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
    );
    return CompactRange.fromHashes(size, hashes);
  }

  /**
   * The range of [0, size) from an audit path (RFC 6962 §2.1.1, leaf first) of its last leaf
   * `size - 1` in the tree of `size`: every node of that path is a left sibling, the first k of
   * them inside the smallest perfect subtree (2^k leaves, the lowest set bit of size), the rest
   * the larger subtrees' roots, smallest first. The caller must compare root() with a signed
   * root: a wrong path gives a wrong root. Precondition: size ≥ 1.
   */
  static fromLastLeafPath(size: number, leafHash: Bytes, path: readonly Bytes[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new CompactRangeError(`size ${size} is not a whole number ≥ 1`);
    }
    let k = 0;
    for (let n = size; n % 2 === 0; n /= 2) k++;
    const larger = setBits(size) - 1;
    if (path.length !== k + larger) {
      const expected = `has a path of ${k + larger} hashes, not ${path.length}`;
      throw new CompactRangeError(`the last leaf of a tree of ${size} ${expected}`);
    }
    for (const [i, h] of [leafHash, ...path].entries()) {
      if (h.length !== HASH_SIZE) {
        throw new CompactRangeError(`hash ${i} of the path is ${h.length} bytes, not ${HASH_SIZE}`);
      }
    }
    let smallest = leafHash;
    for (let i = 0; i < k; i++) smallest = nodeHash(path[i]!, smallest);
    return new CompactRange(size, [
      ...path
        .slice(k)
        .reverse()
        .map((h) => h.slice()),
      smallest,
    ]);
  }

  get size(): number {
    return this.count;
  }

  /** The subtree roots, largest first (copies). */
  hashes(): Bytes[] {
    return this.roots.map((h) => h.slice());
  }

  /** The roots back to back (fromBytes reads them). */
  bytes(): Bytes {
    return concatBytes(...this.roots);
  }

  /** Appends leaf `size` (its hash, SHA-256(0x00 ‖ leaf)). Precondition: a 32-byte hash. */
  append(leafHash: Bytes): void {
    if (leafHash.length !== HASH_SIZE) {
      throw new CompactRangeError(`a leaf hash is ${HASH_SIZE} bytes, not ${leafHash.length}`);
    }
    let right = leafHash;
    // Each trailing set bit of the old size is a subtree of the new leaf's size to merge with.
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) right = nodeHash(this.roots.pop()!, right);
    this.roots.push(right === leafHash ? leafHash.slice() : right);
    this.count++;
  }

  /** MTH(D[0 : size]) (RFC 6962 §2.1): the roots folded from the right; SHA-256 of nothing when empty. */
  root(): Bytes {
    if (this.roots.length === 0) return sha256(new Uint8Array(0));
    let r = this.roots[this.roots.length - 1]!;
    for (let i = this.roots.length - 2; i >= 0; i--) r = nodeHash(this.roots[i]!, r);
    return r;
  }

  copy(): CompactRange {
    return new CompactRange(this.count, this.hashes());
  }
}
