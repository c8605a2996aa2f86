/**
 * A client of static-ct-api logs (c2sp.org/static-ct-api, "Monitoring APIs"): the checkpoint
 * (signed note, RFC 6962 tree head signature verified) and the Merkle tree as hash tiles
 * (c2sp.org/tlog-tiles), from which inclusion and consistency proofs (RFC 6962 §2.1.1, §2.1.2)
 * are computed here. Tiled logs cannot look leaves up by hash, so inclusion needs the SCT's
 * leaf_index extension. Full tiles never change and are kept; partial tiles are fetched each time.
 * Entries come from data tiles ("Log entries"), each checked against the level-0 hash tile, and
 * issuers by fingerprint ("Issuers"), each checked against its fingerprint.
 */
import { equalBytes, sha256, toHex, type Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { HASH_SIZE, nodeHash } from '../merkle/hash.js';
import { consistencyNodes, inclusionNodes, subtreeHash, type Subtree } from '../merkle/proof-nodes.js';
import { TlsDecodeError } from '../tls.js';
import { CertificateError, parseCertificate, type CertificateView } from '../x509/certificate.js';
import { CheckpointError, openCheckpoint, originFromUrl } from './checkpoint.js';
import { decodeDataTile, type StaticCtEntry } from './data-tile.js';
import { LogHttp, LogHttpError } from './http.js';
import type { InclusionAnswer, LogReader } from './reader.js';
import { MAX_TILE_LEVEL, TILE_HEIGHT, TILE_WIDTH, tilePath, tileWidth } from './tile-path.js';
import type { SignedTreeHead } from './tree-head.js';

/** Full tiles kept in memory (8 KiB each); the oldest is dropped beyond this. */
const MAX_CACHED_TILES = 2048;
/** Full data tiles kept in memory (256 entries, often 0.5 MiB or more); the oldest is dropped beyond this. */
const MAX_CACHED_DATA_TILES = 16;
/** Issuers kept in memory (a log has few). */
const MAX_CACHED_ISSUERS = 256;
/** Data tiles fetched at once by getEntries. */
const DATA_TILES_IN_FLIGHT = 4;

export class StaticCtClient implements LogReader {
  /** The monitoring prefix, ending in '/'. */
  private readonly base: string;
  /** The checkpoint origin the log must use, from its submission prefix (static-ct-api, "Checkpoints"). */
  readonly origin: string;
  private readonly fullTiles = new Map<string, Bytes>();
  private readonly fullDataTiles = new Map<number, readonly StaticCtEntry[]>();
  private readonly issuers = new Map<string, CertificateView>();

  constructor(
    readonly log: LogInfo,
    private readonly http: LogHttp = new LogHttp(),
    private readonly verifier: SignatureVerifier = new SignatureVerifier(),
  ) {
    if (!log.monitoringUrl) throw new LogHttpError('refused', `${log.description}: the log list gives no monitoring URL for it`);
    this.base = `${log.monitoringUrl.replace(/\/+$/, '')}/`;
    this.origin = originFromUrl(log.submissionUrl ?? log.monitoringUrl);
  }

  /** `<monitoring prefix>/checkpoint`, opened and its log signature verified (anything wrong is malformed). */
  async getTreeHead(): Promise<SignedTreeHead> {
    const url = `${this.base}checkpoint`;
    const note = await this.http.getBytes(url);
    try {
      const head = await openCheckpoint(note, this.log, this.origin, this.verifier);
      return { logId: head.logId, treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash, signature: head.signature };
    } catch (e) {
      if (e instanceof CheckpointError) throw new LogHttpError('malformed', `${url}: ${e.message}`);
      throw e;
    }
  }

  /**
   * The audit path of leaf `leafIndex` in the tree of `treeSize`, from tiles. The leaf hash at that
   * index must be `leafHash`: a leaf index beyond the tree, or another entry at it, is 'not-found'
   * (the audit then says pending or, after the MMD, not included).
   */
  async getInclusionProof(leafHash: Bytes, treeSize: number, leafIndex?: number): Promise<InclusionAnswer> {
    if (leafIndex === undefined) throw new LogHttpError('malformed', `${this.log.description}: a tiled log's SCT must carry leaf_index (static-ct-api, "SCT Extension")`);
    checkCount(leafIndex, 'leaf index');
    checkCount(treeSize, 'tree size');
    if (leafIndex >= treeSize) throw new LogHttpError('not-found', `${this.log.description}: leaf ${leafIndex} is not in the tree of size ${treeSize}`);
    const tiles = new TileSet(this, treeSize);
    const [leaf, auditPath] = await Promise.all([tiles.node(0, leafIndex), Promise.all(inclusionNodes(leafIndex, treeSize).map((node) => tiles.subtree(node)))]);
    if (!equalBytes(leaf, leafHash)) throw new LogHttpError('not-found', `${this.log.description}: leaf ${leafIndex} of the tree of size ${treeSize} is another entry`);
    return { leafIndex, auditPath };
  }

  /** PROOF(first, D[second]) (RFC 6962 §2.1.2), from the tiles of the tree of size `second`. */
  async getConsistency(first: number, second: number): Promise<Bytes[]> {
    checkCount(first, 'first tree size');
    checkCount(second, 'second tree size');
    if (first > second) throw new LogHttpError('malformed', `${this.log.description}: no consistency proof from ${first} back to ${second}`);
    const tiles = new TileSet(this, second);
    return Promise.all(consistencyNodes(first, second).map((node) => tiles.subtree(node)));
  }

  /**
   * The first `width` hashes of hash tile `index` at `level`. A full tile comes from the cache or
   * is fetched and kept; a partial one is fetched, and when the log no longer serves it (logs MAY
   * drop partial tiles once the full tile exists) the full tile stands in.
   */
  async hashTile(level: number, index: number, width: number): Promise<Bytes> {
    const key = `${level}/${index}`;
    const cached = this.fullTiles.get(key);
    if (cached) return cached.subarray(0, width * HASH_SIZE);
    if (width < TILE_WIDTH) {
      try {
        return await this.fetchTile(level, index, width);
      } catch (e) {
        if (!(e instanceof LogHttpError && e.status === 404)) throw e;
      }
    }
    const full = await this.fetchTile(level, index, TILE_WIDTH);
    this.fullTiles.set(key, full);
    if (this.fullTiles.size > MAX_CACHED_TILES) this.fullTiles.delete(this.fullTiles.keys().next().value!);
    return full.subarray(0, width * HASH_SIZE);
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
    if (start > end || end > treeSize) throw new RangeError(`entries [${start}, ${end}) are not within the tree of size ${treeSize}`);
    if (start === end) return [];
    const first = Math.floor(start / TILE_WIDTH);
    const last = Math.floor((end - 1) / TILE_WIDTH);
    const out: StaticCtEntry[] = [];
    for (let batch = first; batch <= last; batch += DATA_TILES_IN_FLIGHT) {
      const indexes = Array.from({ length: Math.min(DATA_TILES_IN_FLIGHT, last - batch + 1) }, (_, i) => batch + i);
      const tiles = await Promise.all(indexes.map((n) => this.getDataTile(n, tileWidth('data', n, treeSize))));
      for (const tile of tiles) for (const entry of tile) if (entry.index >= start && entry.index < end) out.push(entry);
    }
    return out;
  }

  /**
   * The first `width` entries of data tile `index` (`tile/data/<N>[.p/<W>]`), decoded strictly and
   * each leaf hash checked against the level-0 hash tile of the same width: a data tile that
   * disagrees with the hash tiles is malformed. Full data tiles are kept; a partial one the log no
   * longer serves is read from the full tile.
   */
  async getDataTile(index: number, width: number = TILE_WIDTH): Promise<StaticCtEntry[]> {
    checkCount(index, 'data tile index');
    if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`tile width ${width} is not in 1..${TILE_WIDTH}`);
    const cached = this.fullDataTiles.get(index);
    if (cached) return cached.slice(0, width);
    if (width < TILE_WIDTH) {
      try {
        return await this.fetchDataTile(index, width);
      } catch (e) {
        if (!(e instanceof LogHttpError && e.status === 404)) throw e;
      }
    }
    const full = await this.fetchDataTile(index, TILE_WIDTH);
    this.fullDataTiles.set(index, full);
    if (this.fullDataTiles.size > MAX_CACHED_DATA_TILES) this.fullDataTiles.delete(this.fullDataTiles.keys().next().value!);
    return full.slice(0, width);
  }

  /**
   * The issuer certificate with SHA-256 `fingerprint` (`issuer/<hex>`, static-ct-api "Issuers"),
   * as an entry's `chain` names it. The DER must hash to the fingerprint and parse as a certificate.
   */
  async getIssuer(fingerprint: Bytes): Promise<CertificateView> {
    if (fingerprint.length !== HASH_SIZE) throw new RangeError(`an issuer fingerprint is ${HASH_SIZE} bytes, not ${fingerprint.length}`);
    const hex = toHex(fingerprint);
    const cached = this.issuers.get(hex);
    if (cached) return cached;
    const url = `${this.base}issuer/${hex}`;
    const der = await this.http.getBytes(url);
    const actual = sha256(der);
    if (!equalBytes(actual, fingerprint)) throw new LogHttpError('malformed', `${url}: the log served a certificate whose SHA-256 is ${toHex(actual)}, not the fingerprint asked for`);
    let certificate: CertificateView;
    try {
      certificate = parseCertificate(der);
    } catch (e) {
      if (e instanceof CertificateError) throw new LogHttpError('malformed', `${url}: the issuer is not a certificate: ${e.message}`);
      throw e;
    }
    this.issuers.set(hex, certificate);
    if (this.issuers.size > MAX_CACHED_ISSUERS) this.issuers.delete(this.issuers.keys().next().value!);
    return certificate;
  }

  private async fetchDataTile(index: number, width: number): Promise<StaticCtEntry[]> {
    const url = `${this.base}${tilePath({ level: 'data', index, width })}`;
    const [bytes, hashes] = await Promise.all([
      this.http.getBytes(url).catch((e: unknown) => {
        if (e instanceof LogHttpError && e.kind === 'not-found') throw new LogHttpError('malformed', `${url}: the log does not serve a data tile its tree needs (HTTP 404)`, 404);
        throw e;
      }),
      this.hashTile(0, index, width),
    ]);
    let entries: StaticCtEntry[];
    try {
      entries = decodeDataTile(bytes, index * TILE_WIDTH, width);
    } catch (e) {
      if (e instanceof TlsDecodeError) throw new LogHttpError('malformed', `${url}: ${e.message}`);
      throw e;
    }
    for (const [i, entry] of entries.entries()) {
      const expected = hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
      if (!equalBytes(entry.leafHash, expected))
        throw new LogHttpError('malformed', `${url}: entry ${entry.index} has leaf hash ${toHex(entry.leafHash)}, but the level-0 hash tile has ${toHex(expected)} (the log's data and hash tiles disagree)`);
    }
    return entries;
  }

  private async fetchTile(level: number, index: number, width: number): Promise<Bytes> {
    const url = `${this.base}${tilePath({ level, index, width })}`;
    let bytes: Bytes;
    try {
      bytes = await this.http.getBytes(url);
    } catch (e) {
      // A tile the verified tree needs must exist: its absence is the log's fault, not the entry's.
      if (e instanceof LogHttpError && e.kind === 'not-found') throw new LogHttpError('malformed', `${url}: the log does not serve a tile its tree needs (HTTP 404)`, 404);
      throw e;
    }
    if (bytes.length !== width * HASH_SIZE) throw new LogHttpError('malformed', `${url}: the tile is ${bytes.length} bytes, expected ${width} hashes of ${HASH_SIZE} bytes`);
    return bytes;
  }
}

/** The tiles of one tree size, for one proof: each tile fetched at most once. */
class TileSet {
  private readonly tiles = new Map<string, Promise<Bytes>>();

  constructor(private readonly client: StaticCtClient, private readonly treeSize: number) {}

  /** MTH(D[start : start + n]) (RFC 6962 §2.1), from the complete aligned nodes it is made of. */
  subtree(node: Subtree): Promise<Bytes> {
    // Promise.all, not two awaits: a failure on either side is handled, never left unobserved.
    const join = (left: Promise<Bytes>, right: Promise<Bytes>) => Promise.all([left, right]).then(([l, r]) => nodeHash(l, r));
    return subtreeHash(node, (h, i) => this.node(h, i), join);
  }

  /**
   * The complete node of height `height` at `index` (leaves index·2^height …). It lies in one tile,
   * at tile level ⌊height/8⌋, as the root of 2^(height mod 8) consecutive hashes (tlog-tiles: a
   * tile is the whole subtree of height 8 over its hashes).
   */
  async node(height: number, index: number): Promise<Bytes> {
    const level = Math.floor(height / TILE_HEIGHT);
    if (level > MAX_TILE_LEVEL) throw new LogHttpError('malformed', `a tree of size ${this.treeSize} is larger than static-ct-api tiles reach`);
    const count = 2 ** (height % TILE_HEIGHT);
    const first = index * count;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const width = tileWidth(level, tileIndex, this.treeSize);
    const offset = first % TILE_WIDTH;
    if (offset + count > width) throw new RangeError(`node ${height}/${index} is not complete in a tree of size ${this.treeSize}`);
    const key = `${level}/${tileIndex}`;
    let tile = this.tiles.get(key);
    if (!tile) this.tiles.set(key, (tile = this.client.hashTile(level, tileIndex, width)));
    const bytes = await tile;
    let hashes = Array.from({ length: count }, (_, i) => bytes.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE));
    while (hashes.length > 1) hashes = Array.from({ length: hashes.length / 2 }, (_, i) => nodeHash(hashes[2 * i]!, hashes[2 * i + 1]!));
    return hashes[0]!.slice();
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new LogHttpError('malformed', `${what} ${n} is not a whole number ≥ 0`);
}
