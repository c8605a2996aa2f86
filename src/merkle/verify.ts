/**
 * Verifying Merkle inclusion and consistency proofs: RFC 9162 §2.1.3.2 and §2.1.4.2 (the same
 * trees as RFC 6962 §2.1.1). Failures say what was wrong and, for a wrong root, carry the
 * expected and computed values.
 */
import { equalBytes, toHex, type Bytes } from '../bytes.js';
import { HASH_SIZE, nodeHash } from './hash.js';

export class ProofError extends Error {
  override name = 'ProofError';
}

/** The proof is well-formed but leads to another root than the one expected. */
export class RootMismatchError extends ProofError {
  override name = 'RootMismatchError';
  constructor(
    what: string,
    readonly expected: Bytes,
    readonly computed: Bytes,
  ) {
    super(`${what}: computed root ${toHex(computed)}, expected ${toHex(expected)}`);
  }
}

const checkHash = (hash: Bytes, what: string): void => {
  if (hash.length !== HASH_SIZE) throw new ProofError(`${what} is ${hash.length} bytes, expected ${HASH_SIZE}`);
};

/** Whether `n` is a positive integer that fits the tree arithmetic below exactly. */
const checkSize = (n: number, what: string): void => {
  if (!Number.isSafeInteger(n) || n < 0) throw new ProofError(`${what} ${n} is not a whole number ≥ 0`);
};

/**
 * RFC 9162 §2.1.3.2: verifies that `leaf` is at `index` in the tree of `size` leaves whose root
 * is `root`. Throws ProofError (RootMismatchError for a proof that leads elsewhere).
 */
export function verifyInclusion(index: number, size: number, leaf: Bytes, proof: readonly Bytes[], root: Bytes): void {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  checkHash(leaf, 'leaf hash');
  checkHash(root, 'root hash');
  for (const [i, p] of proof.entries()) checkHash(p, `proof hash ${i}`);
  if (index >= size) throw new ProofError(`leaf index ${index} is not in a tree of size ${size}`);
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!equalBytes(computed, root))
    throw new RootMismatchError(`inclusion of leaf ${index} in tree ${size}`, root, computed);
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 2–5). */
export function rootFromInclusionProof(index: number, size: number, leaf: Bytes, proof: readonly Bytes[]): Bytes {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0)
      throw new ProofError(`inclusion proof has ${proof.length} hashes, more than a tree of size ${size} needs`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  if (sn !== 0)
    throw new ProofError(`inclusion proof has ${proof.length} hashes, fewer than a tree of size ${size} needs`);
  return r;
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of `size1` leaves with root `root1` is a prefix of the
 * tree of `size2` leaves with root `root2`. Throws ProofError (RootMismatchError naming which
 * root did not match).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Bytes[],
  root1: Bytes,
  root2: Bytes,
): void {
  checkSize(size1, 'first tree size');
  checkSize(size2, 'second tree size');
  checkHash(root1, 'first root');
  checkHash(root2, 'second root');
  for (const [i, p] of proof.entries()) checkHash(p, `proof hash ${i}`);
  if (size2 < size1) throw new ProofError(`the second tree (${size2}) is smaller than the first (${size1})`);
  if (size1 === size2) {
    if (proof.length) throw new ProofError(`a proof between equal sizes must be empty, not ${proof.length} hashes`);
    if (!equalBytes(root1, root2)) throw new RootMismatchError(`two roots for tree size ${size1}`, root1, root2);
    return;
  }
  if (size1 === 0) {
    if (proof.length) throw new ProofError(`a proof from the empty tree must be empty, not ${proof.length} hashes`);
    return;
  }
  if (proof.length === 0) throw new ProofError(`empty consistency proof from ${size1} to ${size2}`);
  // Step 2: when size1 is a power of two, the first tree is itself a node of the second.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0)
      throw new ProofError(`consistency proof has ${proof.length} hashes, more than ${size1} → ${size2} needs`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  if (sn !== 0)
    throw new ProofError(`consistency proof has ${proof.length} hashes, fewer than ${size1} → ${size2} needs`);
  if (!equalBytes(fr, root1)) throw new RootMismatchError(`consistency ${size1} → ${size2}, first tree`, root1, fr);
  if (!equalBytes(sr, root2)) throw new RootMismatchError(`consistency ${size1} → ${size2}, second tree`, root2, sr);
}

/** Exact for every safe integer (bit operations stop at 2^31). */
function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
