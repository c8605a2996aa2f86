/**
 * A client of RFC 6962 logs (§4, /ct/v1/): add-chain, add-pre-chain, get-sth (signature
 * verified), get-proof-by-hash, get-sth-consistency, get-entries and get-roots. Every response is
 * checked for shape, base64 and hash lengths; a response
 * that fails is a LogHttpError of kind 'malformed' saying what was wrong.
 */
import { concatBytes, equalBytes, toBase64, type Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { leafHash } from '../merkle/hash.js';
import { decodeSct } from '../sct/decode.js';
import type { EntryType, SignedEntry } from '../sct/signed-data.js';
import { encodeUint, encodeVector } from '../tls.js';
import { CertificateError, parseCertificate } from '../x509/certificate.js';
import { LogHttp, LogHttpError } from './http.js';
import { LeafError, parseMerkleTreeLeaf } from './leaf.js';
import { TreeHeadError, verifyTreeHead, type SignedTreeHead } from './tree-head.js';
import type { InclusionAnswer, LogReader } from './reader.js';
import { base64, count, hash, hashes, malformed, object } from './json-fields.js';

/** One get-entries entry (§4.6), its leaf_input decoded as a MerkleTreeLeaf (§3.4). */
export interface LogEntry {
  /** start + its position in the answer. */
  readonly leafIndex: number;
  readonly timestamp: number;
  readonly entryType: EntryType;
  /** entry_type ‖ signed_entry, as the SCT signs it (src/sct/signed-data.ts). */
  readonly signedEntry: SignedEntry;
  /** The leaf's CtExtensions (the SCT's extensions). */
  readonly extensions: Bytes;
  /** The MerkleTreeLeaf, as served. */
  readonly leafInput: Bytes;
  /** extra_data, as served (the chain; for precert_entry the precertificate first). Not decoded. */
  readonly extraData: Bytes;
  /** SHA-256(0x00 ‖ leafInput) (§2.1). */
  readonly leafHash: Bytes;
}

export class Rfc6962Client implements LogReader {
  private readonly base: string;

  constructor(
    readonly log: LogInfo,
    private readonly http: LogHttp = new LogHttp(),
    private readonly verifier: SignatureVerifier = new SignatureVerifier(),
  ) {
    if (!log.url) throw new LogHttpError('refused', `${log.description}: the log list gives no URL for it`);
    this.base = `${log.url.replace(/\/+$/, '')}/ct/v1/`;
  }

  /** §4.3 get-sth, with the TreeHeadSignature verified (a bad signature is malformed). */
  async getTreeHead(): Promise<SignedTreeHead> {
    const url = `${this.base}get-sth`;
    const body = object(await this.http.getJson(url), url);
    const head: SignedTreeHead = {
      logId: this.log.logId,
      treeSize: count(body.tree_size, 'tree_size', url),
      timestamp: count(body.timestamp, 'timestamp', url),
      rootHash: hash(body.sha256_root_hash, 'sha256_root_hash', url),
      signature: base64(body.tree_head_signature, 'tree_head_signature', url),
    };
    try {
      await verifyTreeHead(head, this.log, this.verifier);
    } catch (e) {
      if (e instanceof TreeHeadError) throw new LogHttpError('malformed', `${url}: ${e.message}`);
      throw e;
    }
    return head;
  }

  /** §4.5 get-proof-by-hash. A 404 (the log does not have the leaf in that tree) is kind 'not-found'. */
  async getInclusionProof(leafHash: Bytes, treeSize: number): Promise<InclusionAnswer> {
    const url = `${this.base}get-proof-by-hash?hash=${encodeURIComponent(toBase64(leafHash))}&tree_size=${treeSize}`;
    const body = object(await this.http.getJson(url), url);
    return {
      leafIndex: count(body.leaf_index, 'leaf_index', url),
      auditPath: hashes(body.audit_path, 'audit_path', url),
    };
  }

  /**
   * §4.1 add-chain: submits `chain` (leaf first, DER) and returns the serialized SCT (§3.2), which
   * must decode as a v1 SCT carrying this log's id. Its signature is not checked here (that needs
   * the entry; see src/sct). A refusal (HTTP 400) is kind 'malformed' with status 400.
   */
  addChain(chain: readonly Bytes[]): Promise<Bytes> {
    return this.submit('add-chain', chain);
  }

  /** §4.2 add-pre-chain: `chain` is the precertificate, then its issuer (and on); as addChain. */
  addPreChain(chain: readonly Bytes[]): Promise<Bytes> {
    return this.submit('add-pre-chain', chain);
  }

  /**
   * §4.6 get-entries: entries start..end (inclusive). A log may return fewer than asked (logs cap
   * batches; keep asking from start + the count returned), never more. Entries carry no index, so
   * their order is only checkable against a tree head (hash them and compare roots).
   */
  async getEntries(start: number, end: number): Promise<LogEntry[]> {
    checkEntryRange(start, end);
    const url = `${this.base}get-entries?start=${start}&end=${end}`;
    const body = object(await this.http.getJson(url), url);
    if (!Array.isArray(body.entries)) throw malformed(url, 'entries is not an array');
    const asked = end - start + 1;
    if (body.entries.length > asked)
      throw malformed(url, `entries has ${body.entries.length} entries, more than the ${asked} asked for`);
    return body.entries.map((value: unknown, i: number) => {
      const name = `entries[${i}]`;
      const item = object(value, url, name);
      const leafInput = base64(item.leaf_input, `${name}.leaf_input`, url);
      const extraData = base64(item.extra_data, `${name}.extra_data`, url);
      let leaf: ReturnType<typeof parseMerkleTreeLeaf>;
      try {
        leaf = parseMerkleTreeLeaf(leafInput);
      } catch (e) {
        if (e instanceof LeafError) throw malformed(url, `${name}.leaf_input: ${e.message}`);
        throw e;
      }
      return {
        leafIndex: start + i,
        timestamp: leaf.timestamp,
        entryType: leaf.entryType,
        signedEntry: leaf.signedEntry,
        extensions: leaf.extensions,
        leafInput,
        extraData,
        leafHash: leafHash(leafInput),
      };
    });
  }

  /** §4.7 get-roots: the accepted root certificates (DER), each of which must parse as a certificate. */
  async getRoots(): Promise<Bytes[]> {
    const url = `${this.base}get-roots`;
    return certificates(object(await this.http.getJson(url), url).certificates, 'certificates', url);
  }

  /** §4.4 get-sth-consistency. */
  async getConsistency(first: number, second: number): Promise<Bytes[]> {
    const url = `${this.base}get-sth-consistency?first=${first}&second=${second}`;
    const body = object(await this.http.getJson(url), url);
    return hashes(body.consistency, 'consistency', url);
  }

  /** §4.1/§4.2: `{ sct_version, id, timestamp, extensions, signature }` → the serialized SCT. */
  private async submit(endpoint: 'add-chain' | 'add-pre-chain', chain: readonly Bytes[]): Promise<Bytes> {
    if (chain.length === 0) throw new RangeError(`${endpoint}: the chain is empty`);
    const url = `${this.base}${endpoint}`;
    const body = object(await this.http.postJson(url, { chain: chain.map(toBase64) }), url);
    if (body.sct_version !== 0)
      throw malformed(url, `sct_version is ${JSON.stringify(body.sct_version)}, expected 0 (v1)`);
    const id = hash(body.id, 'id', url);
    if (toBase64(id) !== this.log.logId)
      throw malformed(url, `id ${toBase64(id)} is not this log's (${this.log.logId})`);
    const timestamp = count(body.timestamp, 'timestamp', url);
    const extensions = base64(body.extensions, 'extensions', url);
    if (extensions.length > 0xffff) throw malformed(url, `extensions is ${extensions.length} bytes, more than 65535`);
    const signature = base64(body.signature, 'signature', url);
    const raw = concatBytes(Uint8Array.of(0), id, encodeUint(timestamp, 8), encodeVector(extensions, 2), signature);
    const sct = decodeSct(raw);
    if (sct.kind !== 'v1')
      throw malformed(url, `the SCT does not decode: ${sct.kind === 'malformed' ? sct.error : sct.kind}`);
    if (!equalBytes(sct.logId, id)) throw malformed(url, 'the SCT does not decode to its own id');
    return raw;
  }
}

/** A get-entries range: whole numbers, start ≤ end. */
export function checkEntryRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || start < 0)
    throw new RangeError(`get-entries: start ${start} is not a whole number ≥ 0`);
  if (!Number.isSafeInteger(end) || end < start)
    throw new RangeError(`get-entries: end ${end} is not a whole number ≥ start ${start}`);
}

/** §4.7 / RFC 9162 §5.7 `certificates`: base64 DER, each a certificate. */
export function certificates(value: unknown, name: string, url: string): Bytes[] {
  if (!Array.isArray(value)) throw malformed(url, `${name} is not an array`);
  return value.map((v, i) => certificate(v, `${name}[${i}]`, url));
}

/** One base64 DER certificate that must parse. */
export function certificate(value: unknown, name: string, url: string): Bytes {
  const der = base64(value, name, url);
  try {
    parseCertificate(der);
  } catch (e) {
    if (e instanceof CertificateError) throw malformed(url, `${name} is not a certificate: ${e.message}`);
    throw e;
  }
  return der;
}
