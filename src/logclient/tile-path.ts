/**
 * Tile geometry and paths of tiled logs: c2sp.org/tlog-tiles and c2sp.org/static-ct-api,
 * "Merkle Tree" and "Log entries". Tiles are 8 levels of the Merkle tree high: a full tile holds
 * 256 hashes (32 bytes each) or 256 entries; the rightmost tiles of a tree are partial. The one
 * tile arithmetic of the client (static-ct.ts, tile-set.ts) and the local log (log/tiles-api.ts).
 */

/** Tree levels per tile level. */
export const TILE_HEIGHT = 8;
/** Hashes (or entries) in a full tile: 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;
/** static-ct-api: `<L>` is between 0 and 5 (2^48 leaves, beyond the 40-bit leaf_index). */
export const MAX_TILE_LEVEL = 5;

export type TileLevel = number | 'data';

export interface TileCoordinates {
  readonly level: TileLevel;
  readonly index: number;
  /** 1..256; below 256 the tile is partial. */
  readonly width: number;
}

/**
 * `<N>` as 3-digit path elements, all but the last prefixed with `x`: 1234067 → `x001/x234/067`,
 * 0 → `000` (tlog-tiles, "Merkle Tree").
 */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`tile index ${n} is not a whole number ≥ 0`);
  let path = String(n % 1000).padStart(3, '0');
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000))
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`;
  return path;
}

/** `tile/<L>/<N>[.p/<W>]`, or `tile/data/<N>[.p/<W>]` for a data tile; relative to the monitoring prefix. */
export function tilePath({ level, index, width }: TileCoordinates): string {
  if (level !== 'data' && (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL))
    throw new RangeError(`tile level ${level} is not in 0..${MAX_TILE_LEVEL}`);
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`tile width ${width} is not in 1..${TILE_WIDTH}`);
  return `tile/${level}/${encodeTileIndex(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/**
 * Parses a tile path (without the prefix) strictly: only the canonical encoding tilePath()
 * produces is accepted. Returns undefined for anything else.
 */
export function parseTilePath(path: string): TileCoordinates | undefined {
  const m = /^tile\/(data|0|[1-9][0-9]*)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]*))?$/.exec(path);
  if (!m) return undefined;
  const level: TileLevel = m[1] === 'data' ? 'data' : Number(m[1]);
  if (level !== 'data' && level > MAX_TILE_LEVEL) return undefined;
  const index = Number(m[2]!.replaceAll('x', '').replaceAll('/', ''));
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (!Number.isSafeInteger(index) || width > TILE_WIDTH) return undefined;
  const coordinates = { level, index, width };
  // Leading x000 elements and `.p/256` (non-canonical) are refused by re-encoding.
  return tilePath(coordinates) === path ? coordinates : undefined;
}

/**
 * The width of tile `index` at `level` in a tree of `treeSize` leaves: 256 when full, 1..255 when
 * partial, 0 when the tree does not reach it (static-ct-api, "Partial Tiles": the partial tile at
 * level l has floor(s / 256^l) mod 256 entries). Data tiles have the widths of level 0.
 */
export function tileWidth(level: TileLevel, index: number, treeSize: number): number {
  const hashesAtLevel = Math.floor(treeSize / TILE_WIDTH ** (level === 'data' ? 0 : level));
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH));
}

/** Where a complete Merkle node lies in the hash tiles (see nodeInTile). */
interface NodeInTile {
  /** The tile level, ⌊height / 8⌋. */
  readonly level: number;
  /** The tile's index at that level. */
  readonly tile: number;
  /** The first of the node's hashes in the tile. */
  readonly offset: number;
  /** How many consecutive hashes the node is the Merkle root of: 2^(height mod 8). */
  readonly count: number;
}

/**
 * The complete node of `height` at `index` (the 2^height leaves from index · 2^height) lies in one
 * tile at level ⌊height/8⌋ (tlog-tiles: a tile at level L holds the nodes of height 8L, and a tile
 * is the whole subtree of height 8 over its hashes), as the root of 2^(height mod 8) consecutive
 * hashes. Preconditions: height and index are whole numbers ≥ 0.
 */
export function nodeInTile(height: number, index: number): NodeInTile {
  const level = Math.floor(height / TILE_HEIGHT);
  const count = 2 ** (height % TILE_HEIGHT);
  const first = index * count;
  return { level, tile: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count };
}
