/**
 * A client of static-ct-api logs (c2sp.org/static-ct-api, "Monitoring APIs"): the checkpoint
 * (signed note, RFC 6962 tree head signature verified) and the Merkle tree as hash tiles
 * (c2sp.org/tlog-tiles), from which inclusion and consistency proofs (RFC 6962 §2.1.1, §2.1.2)
 * are computed (tile-set.ts). Tiled logs cannot look leaves up by hash, so inclusion needs the
 * SCT's leaf_index extension. Full tiles never change and are kept; partial tiles are fetched each
 * time, or the full tile in their place (tile-fetch.ts, v1.1.0 "Partial Tiles"). Entries come from
 * data tiles ("Log entries", data-tile.ts), each checked against the level-0 hash tile, and issuers
 * by fingerprint ("Issuers"), each checked against it. Tiles and checkpoints may come gzip-encoded
 * (fetch decodes them; the size limit is on the decoded bytes: http-body.ts).
 */
import { equalBytes, sha256, toHex, type Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import { LruCache } from '../lru-cache.js';
import type { LogInfo } from '../loglist/schema.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { consistencyNodes, inclusionNodes } from '../merkle/proof-nodes.js';
import { TlsDecodeError } from '../tls.js';
import { CertificateError, parseCertificate, type CertificateView } from '../x509/certificate.js';
import { CheckpointError, openCheckpoint, originFromUrl } from './checkpoint.js';
import { decodeDataTile, type StaticCtEntry } from './data-tile.js';
import { gzipHint, LogHttp, LogHttpError, type LogBody } from './http.js';
import type { InclusionAnswer, LogReader } from './reader.js';
import { fetchTile, type LatestCheckpoint } from './tile-fetch.js';
import { TILE_WIDTH, tilePath, tileWidth, type TileLevel } from './tile-path.js';
import { TileSet } from './tile-set.js';
import type { SignedTreeHead } from './tree-head.js';

/** Full hash tiles kept in memory (8 KiB each: 16 MiB). */
const MAX_CACHED_TILES = 2048;
/** Full data tiles kept in memory (256 entries each, often 0.5 MiB or more), and their bytes at most. */
const MAX_CACHED_DATA_TILES = 16;
const MAX_CACHED_DATA_TILE_BYTES = 16 * 1024 * 1024;
/** Issuers kept in memory (a log has few). */
const MAX_CACHED_ISSUERS = 256;
/** Data tiles fetched at once by getEntries. */
const DATA_TILES_IN_FLIGHT = 4;

/** A decoded data tile and the size of the bytes its entries are views into. */
interface DataTile {
  readonly entries: readonly StaticCtEntry[];
  readonly bytes: number;
}

export class StaticCtClient implements LogReader {
  /** The monitoring prefix, ending in '/'. */
  private readonly base: string;
  /** The checkpoint origin the log must use, from its submission prefix (static-ct-api, "Checkpoints"). */
  readonly origin: string;
  private readonly fullTiles = new LruCache<string, Bytes>({ maxEntries: MAX_CACHED_TILES });
  private readonly fullDataTiles = new LruCache<string, DataTile>({
    maxEntries: MAX_CACHED_DATA_TILES,
    maxBytes: MAX_CACHED_DATA_TILE_BYTES,
    sizeOf: (tile) => tile.bytes,
  });
  private readonly issuers = new LruCache<string, CertificateView>({ maxEntries: MAX_CACHED_ISSUERS });
  /** The latest checkpoint verified (its size the largest seen): which tiles the log must serve. */
  private latest: LatestCheckpoint | undefined;

  constructor(
    readonly log: LogInfo,
    private readonly http: LogHttp = new LogHttp(),
    private readonly verifier: SignatureVerifier = new SignatureVerifier(),
    private readonly now: () => number = Date.now,
  ) {
    if (!log.monitoringUrl) {
      throw new LogHttpError('refused', `${log.description}: the log list gives no monitoring URL for it`);
    }
    this.base = `${log.monitoringUrl.replace(/\/+$/, '')}/`;
    this.origin = originFromUrl(log.submissionUrl ?? log.monitoringUrl);
  }

  /** `<monitoring prefix>/checkpoint`, opened and its log signature verified (anything wrong is malformed). */
  async getTreeHead(): Promise<SignedTreeHead> {
    return (await this.getCheckpoint()).head;
  }

  /**
   * As getTreeHead, with the checkpoint note as the log served it (decoded from gzip): the form
   * witnesses cosign (c2sp.org/tlog-witness), its other signature lines kept.
   */
  async getCheckpoint(): Promise<{ readonly head: SignedTreeHead; readonly note: Bytes }> {
    const url = `${this.base}checkpoint`;
    const body = await this.http.getBody(url);
    let head: Awaited<ReturnType<typeof openCheckpoint>>;
    try {
      head = await openCheckpoint(body.bytes, this.log, this.origin, this.verifier);
    } catch (e) {
      if (e instanceof CheckpointError) throw new LogHttpError('malformed', `${url}: ${e.message}${gzipHint(body)}`);
      throw e;
    }
    const { logId, treeSize, timestamp, rootHash, signature } = head;
    this.latest = { treeSize: Math.max(treeSize, this.latest?.treeSize ?? 0), at: this.now() };
    return { head: { logId, treeSize, timestamp, rootHash, signature }, note: body.bytes };
  }

  /**
   * The audit path of leaf `leafIndex` in the tree of `treeSize`, from tiles. The leaf hash at that
   * index must be `leafHash`: a leaf index beyond the tree, or another entry at it, is 'not-found'
   * (the audit then says pending or, after the MMD, not included).
   */
  async getInclusionProof(leafHash: Bytes, treeSize: number, leafIndex?: number): Promise<InclusionAnswer> {
    const log = this.log.description;
    if (leafIndex === undefined) {
      const why = `a tiled log's SCT must carry leaf_index (static-ct-api, "SCT Extension")`;
      throw new LogHttpError('malformed', `${log}: ${why}`);
    }
    checkCount(leafIndex, 'leaf index');
    checkCount(treeSize, 'tree size');
    if (leafIndex >= treeSize) {
      throw new LogHttpError('not-found', `${log}: leaf ${leafIndex} is not in the tree of size ${treeSize}`);
    }
    const tiles = this.tileSet(treeSize);
    const [leaf, auditPath] = await Promise.all([
      tiles.node(0, leafIndex),
      Promise.all(inclusionNodes(leafIndex, treeSize).map((node) => tiles.subtree(node))),
    ]);
    if (!equalBytes(leaf, leafHash)) {
      throw new LogHttpError('not-found', `${log}: leaf ${leafIndex} of the tree of size ${treeSize} is another entry`);
    }
    return { leafIndex, auditPath };
  }

  /** PROOF(first, D[second]) (RFC 6962 §2.1.2), from the tiles of the tree of size `second`. */
  async getConsistency(first: number, second: number): Promise<Bytes[]> {
    checkCount(first, 'first tree size');
    checkCount(second, 'second tree size');
    if (first > second) {
      const log = this.log.description;
      throw new LogHttpError('malformed', `${log}: no consistency proof from ${first} back to ${second}`);
    }
    const tiles = this.tileSet(second);
    return Promise.all(consistencyNodes(first, second).map((node) => tiles.subtree(node)));
  }

  /**
   * The first `width` hashes of hash tile `index` at `level` (tile-fetch.ts). Precondition: `width`
   * is the tile's in a verified checkpoint's tree (static-ct-api: no arbitrary partial tiles).
   */
  async hashTile(level: number, index: number, width: number): Promise<Bytes> {
    const tile = await fetchTile({
      level,
      index,
      width,
      cache: this.fullTiles,
      key: `${level}/${index}`,
      latest: this.latest,
      now: this.now(),
      fetch: (w) => this.fetchHashTile(level, index, w),
    });
    return tile.subarray(0, width * HASH_SIZE);
  }

  /**
   * Entries [start, end) of the tree of `treeSize` (default: the current checkpoint's), from data
   * tiles, each matched against the hash tiles of that tree. The range must lie within the tree.
   */
  async getEntries(start: number, end: number, treeSize?: number): Promise<StaticCtEntry[]> {
    checkCount(start, 'start');
    checkCount(end, 'end');
    if (treeSize === undefined) treeSize = (await this.getTreeHead()).treeSize;
    checkCount(treeSize, 'tree size');
    if (start > end || end > treeSize) {
      throw new RangeError(`entries [${start}, ${end}) are not within the tree of size ${treeSize}`);
    }
    if (start === end) return [];
    const first = Math.floor(start / TILE_WIDTH);
    const last = Math.floor((end - 1) / TILE_WIDTH);
    const out: StaticCtEntry[] = [];
    for (let batch = first; batch <= last; batch += DATA_TILES_IN_FLIGHT) {
      const indexes = Array.from({ length: Math.min(DATA_TILES_IN_FLIGHT, last - batch + 1) }, (_, i) => batch + i);
      const settled = await Promise.allSettled(indexes.map((n) => this.getDataTile(n, tileWidth('data', n, treeSize))));
      // The first tile's failure, whichever answered first: the same log gives the same error.
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      const tiles = settled.map((s) => (s as PromiseFulfilledResult<StaticCtEntry[]>).value);
      for (const entry of tiles.flat()) if (entry.index >= start && entry.index < end) out.push(entry);
    }
    return out;
  }

  /**
   * The first `width` entries of data tile `index` (`tile/data/<N>[.p/<W>]`, see tile-fetch.ts),
   * decoded strictly and each leaf hash checked against the level-0 hash tile of the same width:
   * a data tile that disagrees with the hash tiles is malformed. Precondition as hashTile's.
   */
  async getDataTile(index: number, width: number = TILE_WIDTH): Promise<StaticCtEntry[]> {
    checkCount(index, 'data tile index');
    if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
      throw new RangeError(`tile width ${width} is not in 1..${TILE_WIDTH}`);
    }
    const tile = await fetchTile({
      level: 'data',
      index,
      width,
      cache: this.fullDataTiles,
      key: `data/${index}`,
      latest: this.latest,
      now: this.now(),
      fetch: (w) => this.fetchDataTile(index, w),
    });
    return tile.entries.slice(0, width);
  }

  /**
   * The issuer certificate with SHA-256 `fingerprint` (`issuer/<hex>`, static-ct-api "Issuers"),
   * as an entry's `chain` names it. The DER must hash to the fingerprint and parse as a certificate.
   */
  async getIssuer(fingerprint: Bytes): Promise<CertificateView> {
    if (fingerprint.length !== HASH_SIZE) {
      throw new RangeError(`an issuer fingerprint is ${HASH_SIZE} bytes, not ${fingerprint.length}`);
    }
    const hex = toHex(fingerprint);
    const cached = this.issuers.get(hex);
    if (cached) return cached;
    const url = `${this.base}issuer/${hex}`;
    const der = await this.http.getBytes(url);
    const actual = sha256(der);
    if (!equalBytes(actual, fingerprint)) {
      const served = `the log served a certificate whose SHA-256 is ${toHex(actual)}, not the fingerprint asked for`;
      throw new LogHttpError('malformed', `${url}: ${served}`);
    }
    let certificate: CertificateView;
    try {
      certificate = parseCertificate(der);
    } catch (e) {
      if (!(e instanceof CertificateError)) throw e;
      throw new LogHttpError('malformed', `${url}: the issuer is not a certificate: ${e.message}`);
    }
    this.issuers.set(hex, certificate);
    return certificate;
  }

  private tileSet(treeSize: number): TileSet {
    return new TileSet((level, index, width) => this.hashTile(level, index, width), treeSize);
  }

  private async fetchHashTile(level: number, index: number, width: number): Promise<Bytes> {
    const { url, body } = await this.fetchTileBody(level, index, width);
    if (body.bytes.length !== width * HASH_SIZE) {
      const expected = `expected ${width} hashes of ${HASH_SIZE} bytes`;
      const problem = `the tile is ${body.bytes.length} bytes, ${expected}${gzipHint(body)}`;
      throw new LogHttpError('malformed', `${url}: ${problem}`);
    }
    return body.bytes;
  }

  private async fetchDataTile(index: number, width: number): Promise<DataTile> {
    const [{ url, body }, hashes] = await Promise.all([
      this.fetchTileBody('data', index, width),
      this.hashTile(0, index, width),
    ]);
    const bytes = body.bytes;
    let entries: StaticCtEntry[];
    try {
      entries = decodeDataTile(bytes, index * TILE_WIDTH, width);
    } catch (e) {
      if (e instanceof TlsDecodeError) throw new LogHttpError('malformed', `${url}: ${e.message}${gzipHint(body)}`);
      throw e;
    }
    for (const [i, entry] of entries.entries()) {
      const expected = hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
      if (!equalBytes(entry.leafHash, expected)) {
        const disagree = `the level-0 hash tile has ${toHex(expected)} (the log's data and hash tiles disagree)`;
        const found = `entry ${entry.index} has leaf hash ${toHex(entry.leafHash)}`;
        throw new LogHttpError('malformed', `${url}: ${found}, but ${disagree}`);
      }
    }
    return { entries, bytes: bytes.length };
  }

  /**
   * The body of one tile. A tile the verified tree needs must exist: its absence is the log's
   * fault, not the entry's, so a 404 is malformed (keeping status 404 for tile-fetch.ts).
   */
  private async fetchTileBody(level: TileLevel, index: number, width: number): Promise<{ url: string; body: LogBody }> {
    const url = `${this.base}${tilePath({ level, index, width })}`;
    try {
      return { url, body: await this.http.getBody(url) };
    } catch (e) {
      if (!(e instanceof LogHttpError && e.kind === 'not-found')) throw e;
      const tile = level === 'data' ? 'a data tile' : 'a tile';
      throw new LogHttpError('malformed', `${url}: the log does not serve ${tile} its tree needs (HTTP 404)`, 404);
    }
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new LogHttpError('malformed', `${what} ${n} is not a whole number ≥ 0`);
  }
}
