/**
 * A client of RFC 9162 (CT v2) logs, §5, under `<log url>/ct/v2/`: get-sth (§5.2),
 * get-sth-consistency (§5.3), get-proof-by-hash (§5.4). Answers are JSON objects whose fields are
 * base64 TransItems (§4.4); both layers are parsed strictly, every TransItem must carry the log's
 * LogID, and tree heads are verified as §4.10 specifies: the signature covers the encoded
 * TreeHeadDataV2, with no DigitallySigned wrapper. Failures are LogHttpErrors as in rfc6962.ts:
 * 'malformed' saying what was wrong, 'not-found' for a 404.
 *
 * RFC 9162 §5.3/§5.4 let a front end that does not know the requested tree yet ("skew") answer
 * for its latest tree instead, adding that tree's `sth`; a proof for another tree than the one
 * asked for is of no use to the caller, so that case is 'unavailable' (not misbehaviour).
 */
import { equalBytes, fromBase64, toBase64, toHex, type Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { SignatureVerifier } from '../crypto/verify.js';
import { decodeOid } from '../der/element.js';
import type { LogInfo } from '../loglist/schema.js';
import { LogHttp, LogHttpError } from './http.js';
import type { InclusionAnswer, LogReader } from './reader.js';
import type { SignedTreeHead } from './tree-head.js';
import { TransItemError, parseConsistencyProofV2, parseInclusionProofV2, parseSignedTreeHeadV2 } from './trans-item.js';

export interface Rfc9162Options {
  /**
   * The log's LogID (§4.4: DER content octets of its OID), from its metadata. Without it, the
   * first verified tree head's log_id is pinned and every later TransItem must match it.
   */
  readonly logIdV2?: Bytes;
}

export class Rfc9162Client implements LogReader {
  private readonly base: string;
  private pinnedLogId: Bytes | undefined;

  constructor(
    readonly log: LogInfo,
    private readonly http: LogHttp = new LogHttp(),
    private readonly verifier: SignatureVerifier = new SignatureVerifier(),
    options: Rfc9162Options = {},
  ) {
    if (!log.url) throw new LogHttpError('refused', `${log.description}: the log list gives no URL for it`);
    // §4.1 (log parameters): v2 logs sign with ECDSA P-256/SHA-256 or Ed25519; ctlens verifies the former.
    let kind: string;
    try {
      kind = publicKeyKind(log.key).type;
    } catch (e) {
      throw new LogHttpError('refused', `${log.description}: the log key is not a SubjectPublicKeyInfo: ${(e as Error).message}`);
    }
    if (kind !== 'ecdsa-p256') throw new LogHttpError('refused', `${log.description}: RFC 9162 tree heads are checked for ECDSA P-256 keys only, not ${kind}`);
    this.base = `${log.url.replace(/\/+$/, '')}/ct/v2/`;
    this.pinnedLogId = options.logIdV2?.slice();
  }

  /** The LogID TransItems must carry (given, or pinned from the first tree head), as a dotted OID. */
  get logIdV2(): string | undefined {
    return this.pinnedLogId && decodeOid(this.pinnedLogId);
  }

  /** §5.2 get-sth: `{ sth }`, a signed_tree_head_v2 verified with the log's key. */
  async getTreeHead(): Promise<SignedTreeHead> {
    const url = `${this.base}get-sth`;
    const body = object(await this.http.getJson(url), url);
    return this.treeHead(body.sth, 'sth', url);
  }

  /** §5.4 get-proof-by-hash: `{ inclusion, sth? }`. A 404 (the log does not have the leaf) is kind 'not-found'. */
  async getInclusionProof(leafHash: Bytes, treeSize: number): Promise<InclusionAnswer> {
    const url = `${this.base}get-proof-by-hash?hash=${encodeURIComponent(toBase64(leafHash))}&tree_size=${treeSize}`;
    const body = object(await this.http.getJson(url), url);
    const sth = body.sth === undefined ? undefined : await this.treeHead(body.sth, 'sth', url);
    const inclusion = this.item(body.inclusion, 'inclusion', url, parseInclusionProofV2);
    const provenSize = sth?.treeSize ?? treeSize;
    if (inclusion.treeSize !== provenSize) throw malformed(url, `inclusion is for tree size ${inclusion.treeSize}, not ${provenSize}`);
    if (inclusion.leafIndex >= inclusion.treeSize) throw malformed(url, `inclusion leaf_index ${inclusion.leafIndex} is not below its tree_size ${inclusion.treeSize}`);
    if (provenSize !== treeSize) throw skew(url, `tree size ${treeSize}`, provenSize);
    return { leafIndex: inclusion.leafIndex, auditPath: inclusion.path };
  }

  /** §5.3 get-sth-consistency: `{ consistency, sth? }`. */
  async getConsistency(first: number, second: number): Promise<Bytes[]> {
    const url = `${this.base}get-sth-consistency?first=${first}&second=${second}`;
    const body = object(await this.http.getJson(url), url);
    const sth = body.sth === undefined ? undefined : await this.treeHead(body.sth, 'sth', url);
    // Neither tree known to this front end: only its latest head comes back.
    if (body.consistency === undefined && sth) throw skew(url, `tree sizes ${first} and ${second}`, sth.treeSize);
    const proof = this.item(body.consistency, 'consistency', url, parseConsistencyProofV2);
    const secondSize = sth?.treeSize ?? second;
    if (proof.treeSize1 !== first || proof.treeSize2 !== secondSize) {
      throw malformed(url, `consistency is for tree sizes ${proof.treeSize1} → ${proof.treeSize2}, not ${first} → ${secondSize}`);
    }
    if (secondSize !== second) throw skew(url, `tree size ${second}`, secondSize);
    return proof.path;
  }

  /** A signed_tree_head_v2 field: parsed, its log_id checked, its signature verified (§4.10). */
  private async treeHead(value: unknown, name: string, url: string): Promise<SignedTreeHead> {
    const raw = base64(value, name, url);
    const sth = this.item(value, name, url, parseSignedTreeHeadV2);
    const outcome = await this.verifier.verify(this.log.key, 'ecdsa-p256', sth.signature, sth.signedData);
    const { timestamp, treeSize, rootHash } = sth.treeHead;
    if (!outcome.ok) throw malformed(url, `${name}: tree head signature does not verify: ${outcome.reason} (size ${treeSize}, root ${toBase64(rootHash)})`);
    this.pinnedLogId ??= sth.logId;
    return { logId: this.log.logId, treeSize, timestamp, rootHash, signature: sth.signature, transItemV2: raw };
  }

  /** Decodes a base64 TransItem field with `parse`, and checks its log_id. */
  private item<T extends { logId: Bytes }>(value: unknown, name: string, url: string, parse: (bytes: Bytes) => T): T {
    const bytes = base64(value, name, url);
    let item: T;
    try {
      item = parse(bytes);
    } catch (e) {
      if (e instanceof TransItemError) throw malformed(url, `${name}: ${e.message}`);
      throw e;
    }
    if (this.pinnedLogId && !equalBytes(item.logId, this.pinnedLogId)) {
      throw malformed(url, `${name}: log_id ${oid(item.logId)} is not this log's (${oid(this.pinnedLogId)})`);
    }
    return item;
  }
}

const malformed = (url: string, what: string) => new LogHttpError('malformed', `${url}: ${what}`);

const skew = (url: string, asked: string, answered: number) =>
  new LogHttpError('unavailable', `${url}: the log does not know ${asked} yet and answered for its tree of size ${answered} (RFC 9162 §5 skew)`);

const oid = (id: Bytes): string => {
  try {
    return decodeOid(id);
  } catch {
    return toHex(id);
  }
};

function object(value: unknown, url: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(url, 'expected a JSON object');
  return value as Record<string, unknown>;
}

function base64(value: unknown, name: string, url: string): Bytes {
  if (value === undefined) throw malformed(url, `${name} is missing`);
  if (typeof value !== 'string') throw malformed(url, `${name} is not a string`);
  try {
    return fromBase64(value);
  } catch (e) {
    throw malformed(url, `${name}: ${(e as Error).message}`);
  }
}
