/**
 * A client of RFC 6962 logs (§4, /ct/v1/): get-sth (signature verified), get-proof-by-hash,
 * get-sth-consistency. Every response is checked for shape, base64 and hash lengths; a response
 * that fails is a LogHttpError of kind 'malformed' saying what was wrong.
 */
import { fromBase64, toBase64, type Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { LogHttp, LogHttpError } from './http.js';
import { TreeHeadError, verifyTreeHead, type SignedTreeHead } from './tree-head.js';
import type { InclusionAnswer, LogReader } from './reader.js';


const MAX_PROOF_HASHES = 64;

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
    return { leafIndex: count(body.leaf_index, 'leaf_index', url), auditPath: hashes(body.audit_path, 'audit_path', url) };
  }

  /** §4.4 get-sth-consistency. */
  async getConsistency(first: number, second: number): Promise<Bytes[]> {
    const url = `${this.base}get-sth-consistency?first=${first}&second=${second}`;
    const body = object(await this.http.getJson(url), url);
    return hashes(body.consistency, 'consistency', url);
  }
}

const malformed = (url: string, what: string) => new LogHttpError('malformed', `${url}: ${what}`);

function object(value: unknown, url: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(url, 'expected a JSON object');
  return value as Record<string, unknown>;
}

function count(value: unknown, name: string, url: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw malformed(url, `${name} is not a whole number ≥ 0`);
  return value;
}

function base64(value: unknown, name: string, url: string): Bytes {
  if (typeof value !== 'string') throw malformed(url, `${name} is not a string`);
  try {
    return fromBase64(value);
  } catch (e) {
    throw malformed(url, `${name}: ${(e as Error).message}`);
  }
}

function hash(value: unknown, name: string, url: string): Bytes {
  const bytes = base64(value, name, url);
  if (bytes.length !== 32) throw malformed(url, `${name} is ${bytes.length} bytes, expected 32`);
  return bytes;
}

function hashes(value: unknown, name: string, url: string): Bytes[] {
  if (!Array.isArray(value)) throw malformed(url, `${name} is not an array`);
  if (value.length > MAX_PROOF_HASHES) throw malformed(url, `${name} has ${value.length} hashes, more than any tree needs`);
  return value.map((v, i) => hash(v, `${name}[${i}]`, url));
}
