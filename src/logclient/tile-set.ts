/**
 * The hashes of proofs in one tree, read from its hash tiles (c2sp.org/tlog-tiles,
 * c2sp.org/static-ct-api "Merkle Tree"): which nodes a proof needs comes from
 * src/merkle/proof-nodes.ts, where each complete node lies from tile-path.ts.
 */
import type { Bytes } from '../bytes.js';
import { HASH_SIZE, nodeHash } from '../merkle/hash.js';
import { subtreeHash, type Subtree } from '../merkle/proof-nodes.js';
import { LogHttpError } from './http.js';
import { MAX_TILE_LEVEL, nodeInTile, tileWidth } from './tile-path.js';

/** The first `width` hashes of hash tile `index` at `level`, 32 bytes each. */
type HashTileSource = (level: number, index: number, width: number) => Promise<Bytes>;

/** The tiles of one tree size, for one proof: each tile asked of the source at most once. */
export class TileSet {
  private readonly tiles = new Map<string, Promise<Bytes>>();

  constructor(
    private readonly source: HashTileSource,
    private readonly treeSize: number,
  ) {}

  /** MTH(D[start : start + size]) (RFC 6962 §2.1), from the complete aligned nodes it is made of. */
  subtree(node: Subtree): Promise<Bytes> {
    // Promise.all, not two awaits: a failure on either side is handled, never left unobserved.
    const join = (left: Promise<Bytes>, right: Promise<Bytes>) =>
      Promise.all([left, right]).then(([l, r]) => nodeHash(l, r));
    return subtreeHash(node, (height, index) => this.node(height, index), join);
  }

  /**
   * The complete node of `height` at `index` (leaves index · 2^height …): the root of its hashes in
   * the one tile that holds it. A node beyond static-ct-api's tile levels is malformed (the tree is
   * larger than its tiles reach); one the tree does not complete is a RangeError (a caller's bug).
   */
  async node(height: number, index: number): Promise<Bytes> {
    const { level, tile, offset, count } = nodeInTile(height, index);
    if (level > MAX_TILE_LEVEL) {
      throw new LogHttpError('malformed', `a tree of size ${this.treeSize} is larger than static-ct-api tiles reach`);
    }
    const width = tileWidth(level, tile, this.treeSize);
    if (offset + count > width) {
      throw new RangeError(`node ${height}/${index} is not complete in a tree of size ${this.treeSize}`);
    }
    const key = `${level}/${tile}`;
    let fetched = this.tiles.get(key);
    if (!fetched) this.tiles.set(key, (fetched = this.source(level, tile, width)));
    const bytes = await fetched;
    const at = (i: number) => bytes.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE);
    let hashes = Array.from({ length: count }, (_, i) => at(i));
    while (hashes.length > 1) {
      hashes = Array.from({ length: hashes.length / 2 }, (_, i) => nodeHash(hashes[2 * i]!, hashes[2 * i + 1]!));
    }
    return hashes[0]!.slice();
  }
}
