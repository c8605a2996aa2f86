/**
 * Which tile to fetch for a tile of some width: the one place static-ct-api v1.1.0's "Partial
 * Tiles" rules live for the client (hash and data tiles alike).
 *
 *   "Logs MUST serve partial tiles corresponding to tree sizes for which a checkpoint was produced,
 *   but MAY omit any partial tile for which the corresponding full tile is available. Clients MUST
 *   NOT fetch arbitrary partial tiles without verifying a checkpoint with a size that requires
 *   their existence, and SHOULD fetch the full tile in parallel as a fallback in case the partial
 *   tile is not available anymore."
 *
 * Precondition (the MUST NOT): `width` is the tile's width in a tree size from a verified
 * checkpoint. Full tiles never change: they come from the cache, or are fetched and kept. The
 * latest checkpoint the client verified (`latest`) says more:
 * - the tile is full in it: the full tile exists (logs serve their tree), so only it is fetched,
 *   never a partial tile the log may have deleted;
 * - it was verified moments ago (FRESH_MS) and needs this partial tile: the log serves it unless
 *   the tile filled since, so the partial tile is fetched, and the full one only if it is gone
 *   (HTTP 404): no full-tile request that is all but sure to miss, for every proof;
 * - otherwise (no checkpoint yet, an old one, a tree larger than it): the partial and the full
 *   tile in parallel (the SHOULD), the full one preferred when it exists (it is kept).
 * A tile neither form of which the log serves is malformed: the log's fault, not the entry's.
 */
import type { LruCache } from '../lru-cache.js';
import { LogHttpError } from './http.js';
import { TILE_WIDTH, tileWidth, type TileLevel } from './tile-path.js';

/** How long a verified checkpoint is taken to show which partial tiles the log serves. */
const FRESH_MS = 10_000;

/** The latest checkpoint the client verified: its tree size and when (ms). */
export interface LatestCheckpoint {
  readonly treeSize: number;
  readonly at: number;
}

export interface TileRequest<T> {
  readonly level: TileLevel;
  readonly index: number;
  /** 1..256: the width the caller's tree has. */
  readonly width: number;
  /** Full tiles by `key`. */
  readonly cache: LruCache<string, T>;
  readonly key: string;
  readonly latest: LatestCheckpoint | undefined;
  readonly now: number;
  /** Fetches the tile of that width; a tile the log does not serve is a LogHttpError with status 404. */
  readonly fetch: (width: number) => Promise<T>;
}

/** The tile, full or of `width`: the caller cuts a full one to `width`. */
export async function fetchTile<T>(request: TileRequest<T>): Promise<T> {
  const { level, index, width, cache, key, latest, now, fetch } = request;
  const cached = cache.get(key);
  if (cached) return cached;
  const full = async (): Promise<T> => {
    const tile = await fetch(TILE_WIDTH);
    cache.set(key, tile);
    return tile;
  };
  const widthInLatest = latest === undefined ? 0 : tileWidth(level, index, latest.treeSize);
  if (width === TILE_WIDTH || widthInLatest === TILE_WIDTH) return full();
  if (latest !== undefined && now - latest.at <= FRESH_MS && widthInLatest >= width) {
    try {
      return await fetch(width);
    } catch (e) {
      if (!isMissing(e)) throw e;
      return fullAfterMissingPartial(full, e);
    }
  }
  const [partial, whole] = await Promise.allSettled([fetch(width), full()]);
  if (whole.status === 'fulfilled') return whole.value;
  if (partial.status === 'fulfilled') return partial.value;
  if (!isMissing(partial.reason)) throw partial.reason;
  throw isMissing(whole.reason) ? neither(partial.reason, whole.reason) : whole.reason;
}

async function fullAfterMissingPartial<T>(full: () => Promise<T>, partialError: LogHttpError): Promise<T> {
  try {
    return await full();
  } catch (e) {
    throw isMissing(e) ? neither(partialError, e) : e;
  }
}

const isMissing = (e: unknown): e is LogHttpError => e instanceof LogHttpError && e.status === 404;

function neither(partial: LogHttpError, full: LogHttpError): LogHttpError {
  return new LogHttpError('malformed', `${partial.message}; nor the full tile: ${full.message}`, 404);
}
