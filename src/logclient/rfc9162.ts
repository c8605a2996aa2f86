/**
 * A client of RFC 9162 (CT v2) logs, §5, under `<log url>/ct/v2/`: submit-entry (§5.1), get-sth
 * (§5.2), get-sth-consistency (§5.3), get-proof-by-hash (§5.4), get-all-by-hash (§5.5),
 * get-entries (§5.6) and get-anchors (§5.7, or get-roots where get-anchors is a 404). Answers are
 * JSON objects whose fields are base64 TransItems (§4.5), decoded by rfc9162-answer.ts (which also
 * holds the answer types); both layers are parsed strictly, every TransItem must carry the log's
 * LogID, and tree heads are verified as §4.10 specifies: the signature covers the encoded
 * TreeHeadDataV2, with no DigitallySigned wrapper. Failures are LogHttpErrors as in rfc6962.ts:
 * 'malformed' saying what was wrong, 'not-found' for a 404 (a log's RFC 7807 error body, §5, is
 * not read: the status decides).
 *
 * RFC 9162 §5.3/§5.4 let a front end that does not know the requested tree yet ("skew") answer
 * for its latest tree instead, adding that tree's `sth`; a proof for another tree than the one
 * asked for is of no use to the caller, so that case is 'unavailable' (not misbehaviour). Every
 * verified `sth` that comes beside a proof (§5.4, §5.5), skew or not, is handed to the caller's
 * TreeHeadSink first: a signed head is a commitment the caller checks for a split view whatever
 * happens to the rest of the answer.
 */
import { base64, malformed, object } from './json-fields.js';
import { toBase64, type Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { SignatureVerifier } from '../crypto/verify.js';
import { decodeOid } from '../der/element.js';
import type { LogInfo } from '../loglist/schema.js';
import { ProofError, verifyInclusion } from '../merkle/verify.js';
import { LogHttp, LogHttpError } from './http.js';
import type { InclusionAnswer, LogReader, TreeHeadSink } from './reader.js';
import { certificates, checkEntryRange } from './rfc6962.js';
import { logEntryV2, transItemField, type AllByHash, type EntriesV2, type SubmittedV2 } from './rfc9162-answer.js';
import type { SignedTreeHead } from './tree-head.js';
import { parseConsistencyProofV2, parseInclusionProofV2, parseSctV2, parseSignedTreeHeadV2 } from './trans-item.js';

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
      throw new LogHttpError(
        'refused',
        `${log.description}: the log key is not a SubjectPublicKeyInfo: ${(e as Error).message}`,
      );
    }
    if (kind !== 'ecdsa-p256')
      throw new LogHttpError(
        'refused',
        `${log.description}: RFC 9162 tree heads are checked for ECDSA P-256 keys only, not ${kind}`,
      );
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

  /**
   * §5.4 get-proof-by-hash: `{ inclusion, sth? }`. A 404 (the log does not have the leaf) is kind
   * 'not-found'. The sth, when there is one, goes to `onTreeHead` as soon as it is verified.
   */
  async getInclusionProof(
    leafHash: Bytes,
    treeSize: number,
    _leafIndex?: number,
    onTreeHead?: TreeHeadSink,
  ): Promise<InclusionAnswer> {
    const url = `${this.base}get-proof-by-hash?hash=${encodeURIComponent(toBase64(leafHash))}&tree_size=${treeSize}`;
    const body = object(await this.http.getJson(url), url);
    const sth = body.sth === undefined ? undefined : await this.treeHead(body.sth, 'sth', url);
    if (sth) await onTreeHead?.(sth);
    const inclusion = this.item(body.inclusion, 'inclusion', url, parseInclusionProofV2);
    const provenSize = sth?.treeSize ?? treeSize;
    if (inclusion.treeSize !== provenSize)
      throw malformed(url, `inclusion is for tree size ${inclusion.treeSize}, not ${provenSize}`);
    if (inclusion.leafIndex >= inclusion.treeSize)
      throw malformed(
        url,
        `inclusion leaf_index ${inclusion.leafIndex} is not below its tree_size ${inclusion.treeSize}`,
      );
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
      throw malformed(
        url,
        `consistency is for tree sizes ${proof.treeSize1} → ${proof.treeSize2}, not ${first} → ${secondSize}`,
      );
    }
    if (secondSize !== second) throw skew(url, `tree size ${second}`, secondSize);
    return proof.path;
  }

  /**
   * §5.5 get-all-by-hash. Per §5.5 Table 5 the answer is the union of: latest sth < tree_size →
   * that sth (skew: 'unavailable' here, whatever else came); latest sth > tree_size → that sth and
   * a consistency proof from tree_size to it (checked for sizes; the caller has the root of
   * `treeSize`); the leaf within the latest tree → `inclusion`. So for a tree_size that is the
   * log's latest only `inclusion` comes back, for tree_size, unverified here (no root to check it
   * against); with an sth, the inclusion is in the sth's tree and verified against its root. The
   * sth goes to `onTreeHead` as soon as it is verified (before the skew check).
   */
  async getAllByHash(hash: Bytes, treeSize: number, onTreeHead?: TreeHeadSink): Promise<AllByHash> {
    const url = `${this.base}get-all-by-hash?hash=${encodeURIComponent(toBase64(hash))}&tree_size=${treeSize}`;
    const body = object(await this.http.getJson(url), url);
    if (body.sth === undefined) {
      if (body.consistency !== undefined)
        throw malformed(url, 'consistency came without an sth (§5.5: it proves the returned sth)');
      const inclusion = this.item(body.inclusion, 'inclusion', url, parseInclusionProofV2);
      if (inclusion.treeSize !== treeSize)
        throw malformed(url, `inclusion is for tree size ${inclusion.treeSize}, not ${treeSize} (no sth came with it)`);
      if (inclusion.leafIndex >= inclusion.treeSize)
        throw malformed(
          url,
          `inclusion leaf_index ${inclusion.leafIndex} is not below its tree_size ${inclusion.treeSize}`,
        );
      return { treeSize, leafIndex: inclusion.leafIndex, auditPath: inclusion.path, consistency: [] };
    }
    const sth = await this.treeHead(body.sth, 'sth', url);
    await onTreeHead?.(sth);
    if (sth.treeSize < treeSize) throw skew(url, `tree size ${treeSize}`, sth.treeSize);
    const inclusion = this.item(body.inclusion, 'inclusion', url, parseInclusionProofV2);
    if (inclusion.treeSize !== sth.treeSize)
      throw malformed(url, `inclusion is for tree size ${inclusion.treeSize}, not the sth's ${sth.treeSize}`);
    try {
      verifyInclusion(inclusion.leafIndex, inclusion.treeSize, hash, inclusion.path, sth.rootHash);
    } catch (e) {
      if (e instanceof ProofError)
        throw malformed(url, `inclusion does not verify against the sth's root: ${e.message}`);
      throw e;
    }
    let consistency: Bytes[] = [];
    if (body.consistency !== undefined || sth.treeSize > treeSize) {
      const proof = this.item(body.consistency, 'consistency', url, parseConsistencyProofV2);
      if (proof.treeSize1 !== treeSize || proof.treeSize2 !== sth.treeSize) {
        throw malformed(
          url,
          `consistency is for tree sizes ${proof.treeSize1} → ${proof.treeSize2}, ` +
            `not ${treeSize} → ${sth.treeSize}`,
        );
      }
      consistency = proof.path;
    }
    return { sth, treeSize: sth.treeSize, leafIndex: inclusion.leafIndex, auditPath: inclusion.path, consistency };
  }

  /**
   * §5.6 get-entries: entries start..end (inclusive) and the log's sth. Fewer than asked is fine
   * (logs cap batches), more is malformed, as are none while start is inside the sth's tree and
   * any beyond it. Entries carry no index: their order is checkable only against the tree (hash
   * them and compare roots).
   */
  async getEntries(start: number, end: number): Promise<EntriesV2> {
    checkEntryRange(start, end);
    const url = `${this.base}get-entries?start=${start}&end=${end}`;
    const body = object(await this.http.getJson(url), url);
    const sth = await this.treeHead(body.sth, 'sth', url);
    if (!Array.isArray(body.entries)) throw malformed(url, 'entries is not an array');
    const n = body.entries.length;
    const asked = end - start + 1;
    if (n > asked) throw malformed(url, `entries has ${n} entries, more than the ${asked} asked for`);
    if (n === 0 && start < sth.treeSize)
      throw malformed(url, `entries is empty though the sth's tree has ${sth.treeSize} entries`);
    if (n > 0 && start + n > sth.treeSize)
      throw malformed(url, `entries runs to index ${start + n - 1}, past the sth's tree of size ${sth.treeSize}`);
    const entries = body.entries.map((value: unknown, i: number) =>
      logEntryV2(value, `entries[${i}]`, start + i, url, this.pinnedLogId),
    );
    return { entries, sth };
  }

  /** §5.7 get-anchors (get-roots, its RFC 6962 name, only if the log answers 404): DER certificates, each parsed. */
  async getRoots(): Promise<Bytes[]> {
    let url = `${this.base}get-anchors`;
    let body: unknown;
    try {
      body = await this.http.getJson(url);
    } catch (e) {
      if (!(e instanceof LogHttpError && e.kind === 'not-found' && e.status === 404)) throw e;
      url = `${this.base}get-roots`;
      body = await this.http.getJson(url);
    }
    return certificates(object(body, url).certificates, 'certificates', url);
  }

  /**
   * §5.1 submit-entry: `submission` is the certificate (type 1, x509_entry_v2) or precertificate
   * (type 2, precert_entry_v2), `chain` its CA certificates. The SCT must be this log's; an sth
   * and inclusion, when returned, must come together, verify, and be for the same tree.
   */
  async submitEntry(submission: Bytes, type: 'x509' | 'precert', chain: readonly Bytes[]): Promise<SubmittedV2> {
    const url = `${this.base}submit-entry`;
    const body = object(
      await this.http.postJson(url, {
        submission: toBase64(submission),
        type: type === 'x509' ? 1 : 2,
        chain: chain.map(toBase64),
      }),
      url,
    );
    const raw = base64(body.sct, 'sct', url);
    const sct = this.item(body.sct, 'sct', url, parseSctV2);
    const expected = type === 'x509' ? 'x509_sct_v2' : 'precert_sct_v2';
    if (sct.type !== expected) throw malformed(url, `sct is ${sct.type}, expected ${expected}`);
    if ((body.sth === undefined) !== (body.inclusion === undefined))
      throw malformed(url, 'sth and inclusion must come together');
    if (body.sth === undefined) return { raw, sct };
    const sth = await this.treeHead(body.sth, 'sth', url);
    const inclusion = this.item(body.inclusion, 'inclusion', url, parseInclusionProofV2);
    if (inclusion.treeSize !== sth.treeSize)
      throw malformed(url, `inclusion is for tree size ${inclusion.treeSize}, not the sth's ${sth.treeSize}`);
    if (inclusion.leafIndex >= inclusion.treeSize)
      throw malformed(
        url,
        `inclusion leaf_index ${inclusion.leafIndex} is not below its tree_size ${inclusion.treeSize}`,
      );
    return { raw, sct, sth, inclusion: { leafIndex: inclusion.leafIndex, auditPath: inclusion.path } };
  }

  /** A signed_tree_head_v2 field: parsed, its log_id checked, its signature verified (§4.10). */
  private async treeHead(value: unknown, name: string, url: string): Promise<SignedTreeHead> {
    const raw = base64(value, name, url);
    const sth = this.item(value, name, url, parseSignedTreeHeadV2);
    const outcome = await this.verifier.verify(this.log.key, 'ecdsa-p256', sth.signature, sth.signedData);
    const { timestamp, treeSize, rootHash } = sth.treeHead;
    if (!outcome.ok)
      throw malformed(
        url,
        `${name}: tree head signature does not verify: ${outcome.reason} ` +
          `(size ${treeSize}, root ${toBase64(rootHash)})`,
      );
    this.pinnedLogId ??= sth.logId;
    return { logId: this.log.logId, treeSize, timestamp, rootHash, signature: sth.signature, transItemV2: raw };
  }

  /** Decodes a base64 TransItem field with `parse`, and checks its log_id against the log's. */
  private item<T extends { logId: Bytes }>(value: unknown, name: string, url: string, parse: (b: Bytes) => T): T {
    return transItemField(value, name, url, parse, this.pinnedLogId);
  }
}

const skew = (url: string, asked: string, answered: number) =>
  new LogHttpError(
    'unavailable',
    `${url}: the log does not know ${asked} yet and answered for its tree of size ${answered} (RFC 9162 §5 skew)`,
  );
