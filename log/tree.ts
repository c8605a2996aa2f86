/**
 * An append-only Merkle tree over leaf hashes (RFC 6962 §2.1), for the test log.
 *
 * Every complete subtree (2^h leaves starting at a multiple of 2^h) is hashed once, when its last
 * leaf arrives, and kept. RFC 6962 §2.1's recursions (MTH, PATH, SUBPROOF) only ever need complete
 * subtrees that are so aligned plus O(log n) incomplete right edges, so the root of any past size
 * and every proof cost O(log² n) hash lookups and at most O(log n) new hashes.
 */
import { sha256, toHex, type Bytes } from '../src/bytes.js';
import { HASH_SIZE, nodeHash } from '../src/merkle/hash.js';
import { consistencyNodes, inclusionNodes, subtreeHash, type Subtree } from '../src/merkle/proof-nodes.js';

export class MerkleTree {
  /** levels[h][i]: the hash of the complete subtree of 2^h leaves from leaf i·2^h; levels[0] holds the leaf hashes. */
  private readonly levels: Bytes[][] = [[]];
  /** First index of each leaf hash (hex). */
  private readonly indexByHash = new Map<string, number>();

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends a leaf hash (SHA-256(0x00 ‖ leaf), already computed) and returns its index. */
  append(leafHash: Bytes): number {
    if (leafHash.length !== HASH_SIZE)
      throw new RangeError(`a leaf hash is ${HASH_SIZE} bytes, not ${leafHash.length}`);
    const index = this.size;
    this.levels[0]!.push(leafHash.slice());
    // Each right child that arrives completes its parent, one level up, possibly repeatedly.
    for (let h = 0, i = index; i % 2 === 1; h++, i = (i - 1) / 2) {
      const level = this.levels[h]!;
      (this.levels[h + 1] ??= []).push(nodeHash(level[i - 1]!, level[i]!));
    }
    const key = toHex(leafHash);
    if (!this.indexByHash.has(key)) this.indexByHash.set(key, index);
    return index;
  }

  /** The leaf hash at `index` (a copy). */
  leaf(index: number): Bytes {
    this.checkRange(index, 0, this.size - 1, 'leaf index');
    return this.levels[0]![index]!.slice();
  }

  /**
   * The complete subtree of 2^height leaves from leaf index·2^height (a copy): what a
   * static-ct-api hash tile at level height/8 holds. Precondition: the tree has all its leaves.
   */
  completeNode(height: number, index: number): Bytes {
    const level = this.levels[height];
    if (!level || !Number.isSafeInteger(index) || index < 0 || index >= level.length)
      throw new RangeError(`no complete node ${index} at height ${height} in a tree of size ${this.size}`);
    return level[index]!.slice();
  }

  /** The index of the first leaf with this hash, or undefined. */
  indexOf(leafHash: Bytes): number | undefined {
    return this.indexByHash.get(toHex(leafHash));
  }

  /** MTH of the first `size` leaves (RFC 6962 §2.1): SHA-256 of nothing for the empty tree. */
  root(size = this.size): Bytes {
    this.checkRange(size, 0, this.size, 'tree size');
    return size === 0 ? sha256(new Uint8Array(0)) : this.subtree([0, size]).slice();
  }

  /** PATH(index, D[size]) (RFC 6962 §2.1.1), the audit path from the leaf up. */
  inclusionProof(index: number, size: number): Bytes[] {
    this.checkRange(size, 1, this.size, 'tree size');
    this.checkRange(index, 0, size - 1, 'leaf index');
    return inclusionNodes(index, size).map((node) => this.subtree(node).slice());
  }

  /**
   * PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) (RFC 6962 §2.1.2). Empty when the
   * sizes are equal, and for size1 = 0 (which the RFC leaves undefined: every tree extends the empty one).
   */
  consistencyProof(size1: number, size2: number): Bytes[] {
    this.checkRange(size2, 0, this.size, 'second tree size');
    this.checkRange(size1, 0, size2, 'first tree size');
    return consistencyNodes(size1, size2).map((node) => this.subtree(node).slice());
  }

  /** MTH(D[start : start + n]) for a node of RFC 6962's recursion (n ≥ 1). The result may be cached: don't mutate. */
  private subtree(node: Subtree): Bytes {
    return subtreeHash(node, (h, i) => this.levels[h]![i]!, nodeHash);
  }

  private checkRange(n: number, min: number, max: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new RangeError(`${what} ${n} is outside ${min}..${max}`);
  }
}
