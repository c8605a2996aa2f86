/**
 * One log as the monitor reads it, either API behind one shape: its signed tree head (signature
 * verified here, so that a bad signature is told apart from a malformed answer), consistency
 * proofs, entries in order with bounded parallel fetches, and the compact range at a tree size
 * without reading the entries before it. RFC 6962 through Rfc6962Client (§4.3 get-sth, §4.4
 * get-sth-consistency, §4.5 get-proof-by-hash, §4.6 get-entries); static-ct-api through
 * StaticCtClient (checkpoint, hash and data tiles). Every request goes through the log's Throttle.
 */
import { equalBytes, type Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import { CheckpointError, openCheckpoint, originFromUrl, parseSignedNote } from '../logclient/checkpoint.js';
import { type LogHttp, LogHttpError } from '../logclient/http.js';
import { base64, count, hash, object } from '../logclient/json-fields.js';
import { Rfc6962Client } from '../logclient/rfc6962.js';
import { StaticCtClient } from '../logclient/static-ct.js';
import { TILE_WIDTH, tileWidth } from '../logclient/tile-path.js';
import { TileSet } from '../logclient/tile-set.js';
import { TreeHeadError, verifyTreeHead, type SignedTreeHead } from '../logclient/tree-head.js';
import type { LogInfo } from '../loglist/schema.js';
import { CompactRange, perfectSubtrees } from '../merkle/compact-range.js';
import { fromStaticCt, type MonitorEntry } from './entry.js';
import { getEntries } from './rfc6962-entries.js';
import type { Throttle } from './throttle.js';

/** A tree head and the log's answer it came in (evidence for an alert). */
export interface HeadAnswer {
  readonly head: SignedTreeHead;
  readonly answer: string;
}

/** The log signed a tree head with a signature that does not verify under its key. */
export class BadSignatureError extends Error {
  override name = 'BadSignatureError';
  constructor(
    message: string,
    readonly answer: string,
  ) {
    super(message);
  }
}

/** The range a log's own nodes give for its tree does not lead to the root it signed. */
export class RangeMismatchError extends Error {
  override name = 'RangeMismatchError';
  constructor(
    message: string,
    readonly computed: Bytes,
  ) {
    super(message);
  }
}

export interface LogSource {
  readonly log: LogInfo;
  readonly kind: 'rfc6962' | 'static-ct';
  treeHead(): Promise<HeadAnswer>;
  /** PROOF(first, D[second]) (RFC 6962 §2.1.2), as the log gives it. */
  consistency(first: number, second: number): Promise<Bytes[]>;
  /** Entries [start, end) of the tree of `treeSize`, in order, a window at a time. */
  entries(start: number, end: number, treeSize: number): AsyncGenerator<MonitorEntry[]>;
  /** The compact range of the tree of `head`, from the log's nodes; its root is checked against the head's. */
  rangeAt(head: SignedTreeHead): Promise<CompactRange>;
}

export interface SourceOptions {
  readonly http: LogHttp;
  readonly throttle: Throttle;
  /** Windows fetched ahead of the one being processed. */
  readonly ahead: number;
  readonly verifier?: SignatureVerifier;
}

export function logSource(log: LogInfo, options: SourceOptions): LogSource {
  return log.type === 'tiled' ? new StaticCtSource(log, options) : new Rfc6962Source(log, options);
}

/** Yields the windows' results in order, keeping up to `ahead` windows in flight. */
async function* inOrder<T>(windows: Iterator<() => Promise<T>>, ahead: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  const fill = () => {
    while (queue.length < ahead) {
      const next = windows.next();
      if (next.done) return;
      const started = next.value();
      started.catch(() => undefined); // awaited below; a generator left early must not leave it unobserved
      queue.push(started);
    }
  };
  fill();
  while (queue.length) {
    const result = await queue.shift()!;
    fill();
    yield result;
  }
}

async function checkedRange(range: CompactRange, head: SignedTreeHead, from: string): Promise<CompactRange> {
  const computed = range.root();
  if (!equalBytes(computed, head.rootHash)) {
    const what = `the ${from} of the tree of ${head.treeSize} do not lead to its signed root`;
    throw new RangeMismatchError(what, computed);
  }
  return range;
}

class Rfc6962Source implements LogSource {
  readonly kind = 'rfc6962';
  private readonly client: Rfc6962Client;
  private readonly verifier: SignatureVerifier;
  /** Entries per get-entries request: what the log answered with once it answered fewer than asked. */
  private batch = 1000;

  /** The log's URL, ending in '/'. */
  private readonly base: string;

  constructor(
    readonly log: LogInfo,
    private readonly options: SourceOptions,
  ) {
    this.verifier = options.verifier ?? new SignatureVerifier();
    this.client = new Rfc6962Client(log, options.http, this.verifier);
    this.base = `${log.url!.replace(/\/+$/, '')}/`;
  }

  /** §4.3 get-sth, read here (not by the client) so that a bad signature is its own error. */
  async treeHead(): Promise<HeadAnswer> {
    const url = `${this.base}ct/v1/get-sth`;
    const body = object(await this.options.throttle.run(() => this.options.http.getJson(url)), url);
    const head: SignedTreeHead = {
      logId: this.log.logId,
      treeSize: count(body.tree_size, 'tree_size', url),
      timestamp: count(body.timestamp, 'timestamp', url),
      rootHash: hash(body.sha256_root_hash, 'sha256_root_hash', url),
      signature: base64(body.tree_head_signature, 'tree_head_signature', url),
    };
    const answer = JSON.stringify(body);
    try {
      await verifyTreeHead(head, this.log, this.verifier);
    } catch (e) {
      if (e instanceof TreeHeadError) throw new BadSignatureError(`${url}: ${e.message}`, answer);
      throw e;
    }
    return { head, answer };
  }

  consistency(first: number, second: number): Promise<Bytes[]> {
    return this.options.throttle.run(() => this.client.getConsistency(first, second));
  }

  entries(start: number, end: number): AsyncGenerator<MonitorEntry[]> {
    const self = this;
    function* windows(): Generator<() => Promise<MonitorEntry[]>> {
      for (let at = start; at < end; ) {
        const from = at;
        const to = Math.min(end, at + self.batch);
        at = to;
        yield () => self.window(from, to);
      }
    }
    return inOrder(windows(), this.options.ahead);
  }

  /** Entries [from, to): the log may answer fewer than asked (§4.6), so ask again from where it stopped. */
  private async window(from: number, to: number): Promise<MonitorEntry[]> {
    const out: MonitorEntry[] = [];
    for (let at = from; at < to; ) {
      const got = await this.options.throttle.run(() => getEntries(this.options.http, this.base, at, to - 1));
      if (got.length === 0) {
        const what = `get-entries ${at}..${to - 1} returned no entries`;
        throw new LogHttpError('malformed', `${this.log.description}: ${what}`);
      }
      if (got.length < to - at) this.batch = Math.min(this.batch, got.length);
      out.push(...got);
      at += got.length;
    }
    return out;
  }

  /**
   * The last leaf's audit path (§4.5) in the tree of `head` holds the right edge's subtree roots
   * (CompactRange.fromLastLeafPath). get-proof-by-hash names the first leaf with a hash; real logs
   * hold no duplicate leaves (each has its own timestamp), so another index is an error.
   */
  async rangeAt(head: SignedTreeHead): Promise<CompactRange> {
    if (head.treeSize === 0) return CompactRange.empty();
    const last = head.treeSize - 1;
    const [entry] = await this.options.throttle.run(() => this.client.getEntries(last, last));
    if (!entry) {
      throw new LogHttpError('malformed', `${this.log.description}: get-entries ${last}..${last} returned none`);
    }
    const proof = await this.options.throttle.run(() => this.client.getInclusionProof(entry.leafHash, head.treeSize));
    if (proof.leafIndex !== last) {
      const why = `the proof for leaf ${last}'s hash names leaf ${proof.leafIndex}`;
      throw new LogHttpError('malformed', `${this.log.description}: ${why}; start with --from-start`);
    }
    const range = CompactRange.fromLastLeafPath(head.treeSize, entry.leafHash, proof.auditPath);
    return checkedRange(range, head, 'audit path of the last leaf');
  }
}

class StaticCtSource implements LogSource {
  readonly kind = 'static-ct';
  private readonly client: StaticCtClient;
  private readonly verifier: SignatureVerifier;
  private readonly origin: string;

  constructor(
    readonly log: LogInfo,
    private readonly options: SourceOptions,
  ) {
    this.verifier = options.verifier ?? new SignatureVerifier();
    this.client = new StaticCtClient(log, options.http, this.verifier);
    this.origin = originFromUrl(log.submissionUrl ?? log.monitoringUrl!);
  }

  /** The checkpoint, opened here so that a signature that does not verify is told apart. */
  async treeHead(): Promise<HeadAnswer> {
    const url = `${this.log.monitoringUrl!.replace(/\/+$/, '')}/checkpoint`;
    const body = await this.options.throttle.run(() => this.options.http.getBody(url));
    const answer = new TextDecoder().decode(body.bytes);
    try {
      const { origin: _, ...head } = await openCheckpoint(body.bytes, this.log, this.origin, this.verifier);
      return { head, answer };
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      if (signatureFailed(body.bytes, this.origin)) throw new BadSignatureError(`${url}: ${e.message}`, answer);
      throw new LogHttpError('malformed', `${url}: ${e.message}`);
    }
  }

  consistency(first: number, second: number): Promise<Bytes[]> {
    return this.options.throttle.run(() => this.client.getConsistency(first, second));
  }

  entries(start: number, end: number, treeSize: number): AsyncGenerator<MonitorEntry[]> {
    const self = this;
    function* windows(): Generator<() => Promise<MonitorEntry[]>> {
      for (let tile = Math.floor(start / TILE_WIDTH); tile * TILE_WIDTH < end; tile++) {
        const n = tile;
        yield async () => {
          const width = tileWidth('data', n, treeSize);
          const entries = await self.options.throttle.run(() => self.client.getDataTile(n, width));
          return entries.filter((e) => e.index >= start && e.index < end).map(fromStaticCt);
        };
      }
    }
    return inOrder(windows(), this.options.ahead);
  }

  /** The right edge's subtree roots from the hash tiles of the tree of `head`. */
  async rangeAt(head: SignedTreeHead): Promise<CompactRange> {
    const tiles = new TileSet((level, index, width) => this.client.hashTile(level, index, width), head.treeSize);
    const roots = await Promise.all(
      perfectSubtrees(head.treeSize).map((node) => this.options.throttle.run(() => tiles.subtree(node))),
    );
    return checkedRange(CompactRange.fromHashes(head.treeSize, roots), head, 'hash tiles');
  }
}

/**
 * Whether a checkpoint that did not open is well-formed up to its signature: a note whose text
 * names this origin and that has a line under the origin as key name. Then the failure was the
 * signature (a log's key signing something else, or a forged line), not the format.
 */
function signatureFailed(note: Bytes, origin: string): boolean {
  try {
    const { text, signatures } = parseSignedNote(note);
    return text.startsWith(`${origin}\n`) && signatures.some((s) => s.name === origin);
  } catch (e) {
    if (e instanceof CheckpointError) return false;
    throw e;
  }
}
