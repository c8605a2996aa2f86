/**
 * The tile arithmetic the tiled-log client and the local log share (src/logclient/tile-path.ts,
 * tile-set.ts), checked against tiles built from the Merkle tree written straight from
 * RFC 6962 §2.1 (test/support/naive-merkle.ts) and tlog-tiles' definition: hash i of tile N at
 * level L is the MTH of the 256^L leaves from (N · 256 + i) · 256^L.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex, type Bytes } from '../../src/bytes.js';
import { TILE_WIDTH, nodeInTile, tileWidth } from '../../src/logclient/tile-path.js';
import { TileSet } from '../../src/logclient/tile-set.js';
import { leafHash } from '../../src/merkle/hash.js';
import { consistencyNodes, inclusionNodes } from '../../src/merkle/proof-nodes.js';
import { mth, path, proof } from '../support/naive-merkle.js';

/** 70,000 distinct leaf hashes: the static-ct-api spec's example tree, which reaches tile level 2. */
const ALL = Array.from({ length: 70_000 }, (_, i) => leafHash(Uint8Array.of(i >>> 16, i >>> 8, i, 0x5a)));
const hex = (hashes: readonly Bytes[]): string => hashes.map((h) => toHex(h)).join('\n');

/** The hashes tile (level, index) holds in a tree of `size` leaves, by the definition alone. */
function naiveTile(level: number, index: number, size: number): Bytes[] {
  const span = TILE_WIDTH ** level;
  const out: Bytes[] = [];
  for (let i = 0; i < TILE_WIDTH; i++) {
    const first = (index * TILE_WIDTH + i) * span;
    if (first + span > size) break;
    out.push(mth(ALL.slice(first, first + span)));
  }
  return out;
}

describe('tile arithmetic against the naive tree', () => {
  it('tileWidth is the number of complete hashes a tile holds; data tiles have level 0 widths', () => {
    for (const size of [0, 1, 2, 255, 256, 257, 511, 512, 513, 600, 65_535, 65_536, 65_537, 70_000]) {
      for (let level = 0; level <= 2; level++) {
        const span = TILE_WIDTH ** level;
        for (let index = 0; index * TILE_WIDTH * span <= size; index++) {
          let complete = 0;
          while (complete < TILE_WIDTH && (index * TILE_WIDTH + complete + 1) * span <= size) complete++;
          expect(tileWidth(level, index, size), `level ${level} tile ${index} of ${size}`).toBe(complete);
          if (level === 0) expect(tileWidth('data', index, size)).toBe(complete);
        }
      }
    }
  });

  it('nodeInTile: every complete node is the root of its hashes in the one tile that holds it', () => {
    const size = 70_000;
    const tiles = new Map<string, Bytes[]>();
    const tile = (level: number, index: number) => {
      const key = `${level}/${index}`;
      if (!tiles.has(key)) tiles.set(key, naiveTile(level, index, size));
      return tiles.get(key)!;
    };
    for (let height = 0; height <= 16; height++) {
      const nodes = Math.floor(size / 2 ** height);
      // From height 8 (a level-1 hash up), every node (273 at most); below, both ends and some between.
      const some = new Set([0, 1, 2, 255, 256, 257, 1000, nodes - 2, nodes - 1].filter((i) => i >= 0 && i < nodes));
      const indexes = height >= 8 ? [...Array(nodes).keys()] : [...some];
      for (const index of indexes) {
        const { level, tile: t, offset, count } = nodeInTile(height, index);
        const hashes = tile(level, t);
        expect(offset + count, `node ${height}/${index}`).toBeLessThanOrEqual(hashes.length);
        const expected = mth(ALL.slice(index * 2 ** height, (index + 1) * 2 ** height));
        expect(toHex(mth(hashes.slice(offset, offset + count))), `node ${height}/${index}`).toBe(toHex(expected));
      }
    }
  });

  it('TileSet over those tiles gives the proofs the naive tree gives, asking each tile at its tree width', async () => {
    const asked: string[] = [];
    const setFor = (size: number) =>
      new TileSet(async (level, index, width) => {
        asked.push(`${level}/${index}.${width}`);
        expect(width, `tile ${level}/${index} of ${size}`).toBe(tileWidth(level, index, size));
        return concatBytes(...naiveTile(level, index, size));
      }, size);
    const sizes = [1, 2, 3, 7, 255, 256, 257, 300, 511, 512, 513, 600, 65_536, 65_537, 70_000];
    for (const size of sizes) {
      const tiles = setFor(size);
      const leaves = ALL.slice(0, size);
      for (const index of new Set([0, 1, size >> 1, size - 2, size - 1].filter((i) => i >= 0 && i < size))) {
        const audit = await Promise.all(inclusionNodes(index, size).map((node) => tiles.subtree(node)));
        expect(hex(audit), `leaf ${index} of ${size}`).toBe(hex(path(index, leaves)));
        expect(toHex(await tiles.node(0, index))).toBe(toHex(ALL[index]!));
      }
      for (const first of sizes.filter((s) => s <= size)) {
        const consistency = await Promise.all(consistencyNodes(first, size).map((node) => tiles.subtree(node)));
        expect(hex(consistency), `${first} → ${size}`).toBe(hex(proof(first, leaves)));
      }
    }
    // One TileSet asks each tile once, however many nodes it is asked for.
    asked.length = 0;
    const once = setFor(600);
    await Promise.all([once.subtree([0, 600]), once.subtree([0, 600]), once.node(0, 599)]);
    expect(asked.sort()).toEqual(['0/2.88', '1/0.2']);
  });
});
