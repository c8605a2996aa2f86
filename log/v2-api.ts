/**
 * RFC 9162 §5 (CT v2) under `<base>/ct/v2/`: submit-entry (§5.1, see submitEntry for what is
 * simplified), get-sth (§5.2), get-sth-consistency (§5.3), get-proof-by-hash (§5.4),
 * get-all-by-hash (§5.5), get-entries (§5.6) and get-anchors (§5.7; also as get-roots, its RFC 6962
 * name). Answers are JSON with
 * base64 TransItems (§4.5); errors are RFC 7807 Problem Details, `{ type, detail }` with `type`
 * "urn:ietf:params:trans:error:<token>" and the tokens §5 and §5.1-§5.6 define (§5, §10.2.6),
 * served as application/problem+json (RFC 7807 §3).
 *
 * One tree for all APIs: RFC 9162 leaves would be TransItems of type x509_entry_v2 /
 * precert_entry_v2 (§4.7), but this log's tree holds RFC 6962 MerkleTreeLeafs (it is the tree
 * /ct/v1/ serves). The Merkle hashing is the same (RFC 9162 §2.1), so v2 tree heads and proofs are
 * served over those same leaf hashes — how one test tree answers /ct/v1/, tiles and /ct/v2/ alike.
 * For the same reason get-entries' `log_entry` is the RFC 6962 MerkleTreeLeaf (whose hash is the
 * tree's leaf) and there is no `sct` (the log keeps no SCTs).
 *
 * Tree heads are signed as §4.10 says (ECDSA P-256 over the encoded TreeHeadDataV2). Every size up
 * to the current one is a tree the log knows; a larger requested size is §5's "skew": the answer
 * is for the latest tree, with its `sth`. Not in RFC 9162: get-roots (kept as an alias of
 * get-anchors for clients that fall back to it). The misbehaviour switches act as on /ct/v1/: fork and
 * wrongProofs through the log, badSthSignature here, slowMs and garbage in this front end; and
 * forkProofSth, v2 only: get-proof-by-hash adds the signed head of a forked tree of the size asked.
 */
import { fromBase64, sha256, toBase64, type Bytes } from '../src/bytes.js';
import { TlsReader } from '../src/tls.js';
import { CertificateError, parseCertificate } from '../src/x509/certificate.js';
import type { ApiHandler } from './extra-api.js';
import { LogInputError, type LocalLogEntry, type LocalCtLog } from './log.js';
import { precertSubmission } from './submission.js';
import { certificateEntryV2, consistencyProofV2, inclusionProofV2, sctV2, signedTreeHeadV2 } from './v2-structs.js';
import { readBody } from './request-body.js';

const PREFIX = '/ct/v2/';

/**
 * RFC 9162 §5 error types (the "Error Types" registry, §10.2.6). `malformed` (§5, Table 1) is for
 * any request that could not be parsed; the rest are per-endpoint (§5.1 Table 2, §5.3 Table 3,
 * §5.4 Table 4, §5.6 Table 6). Statuses are this log's choice: §5 fixes only 4xx/5xx.
 */
type ErrorType =
  | 'malformed'
  | 'badSubmission'
  | 'badType'
  | 'badChain'
  | 'badCertificate'
  | 'unknownAnchor'
  | 'shutdown'
  | 'firstUnknown'
  | 'secondUnknown'
  | 'secondBeforeFirst'
  | 'hashUnknown'
  | 'treeSizeUnknown'
  | 'startUnknown'
  | 'endBeforeStart';

const ERROR_URN = 'urn:ietf:params:trans:error:';

class V2Error extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }
}

type Json = unknown;
type Query = (name: string, optional?: boolean) => string | undefined;

interface Endpoint {
  readonly method?: 'GET' | 'POST';
  /** Allowed query parameters (each at most once). */
  readonly params: readonly string[];
  readonly run: (log: LocalCtLog, q: Query, body: Json) => Json;
}

const MAX_BODY = 1 << 20;

/** The current (or forked) tree head, as a base64 signed_tree_head_v2 TransItem. */
function sth(log: LocalCtLog): { treeSize: number; item: string } {
  const head = log.sth();
  return { treeSize: head.treeSize, item: toBase64(signedTreeHeadV2(log, head, log.misbehave.badSthSignature)) };
}

// §5.4 Table 4 hashUnknown (a 404: the client reads it as "not found").
const hashUnknown = (hash: Bytes, size: number) =>
  new V2Error(404, 'hashUnknown', `no leaf with hash ${toBase64(hash)} in the tree of size ${size}`);

/** The inclusion_proof_v2 for `hash` in the tree of `size`, or undefined when the leaf is not in it. */
function maybeInclusion(log: LocalCtLog, hash: Bytes, size: number): string | undefined {
  const proof = size === 0 ? undefined : log.proofByHash(hash, size);
  return proof && toBase64(inclusionProofV2(log, size, proof.leafIndex, proof.auditPath));
}

/** The inclusion_proof_v2 for `hash` in the tree of `size`, or hashUnknown (404). */
function inclusion(log: LocalCtLog, hash: Bytes, size: number): string {
  const proof = maybeInclusion(log, hash, size);
  if (proof === undefined) throw hashUnknown(hash, size);
  return proof;
}

const consistency = (log: LocalCtLog, first: number, second: number): string =>
  toBase64(consistencyProofV2(log, first, second, log.consistencyProof(first, second)));

/**
 * §5.1 submit-entry: `{ submission, type, chain }` → `{ sct }`, plus `sth` and `inclusion` when
 * the entry is already in the tree (mergeDelayMs 0). Simplified, as a test log can be:
 * - the entry goes into the tree through LocalCtLog.addChain / addPreChain, i.e. as an RFC 6962
 *   MerkleTreeLeaf (see the header), so `inclusion` proves that v1 leaf, not the v2 entry;
 * - a precertificate (type 2) is an RFC 6962 precertificate (poisoned X.509, as add-pre-chain
 *   takes), not RFC 9162's CMS object (§3.2); its tbs_certificate is the TBS without the poison;
 * - sct_extensions are empty (a tiled log's leaf_index extension is RFC 6962-shaped and stays in
 *   the v1 SCT and leaf);
 * - chains are not validated and any anchor is accepted.
 * The SCT itself is as §4.8 says: ECDSA P-256/SHA-256 (DER) over the x509_entry_v2 /
 * precert_entry_v2 TransItem of the same timestamp, with issuer_key_hash = SHA-256 of the
 * issuer's SubjectPublicKeyInfo (for a precertificate, as add-pre-chain computes it, a
 * Precertificate Signing Certificate included).
 */
function submitEntry(log: LocalCtLog, body: Json): Json {
  // §5 Table 1: a request that cannot be parsed is `malformed`; §5.1 Table 2 for the rest.
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new V2Error(400, 'malformed', 'the body must be a JSON object');
  const { submission, type, chain } = body as Record<string, unknown>;
  if (type !== 1 && type !== 2)
    throw new V2Error(
      400,
      'badType',
      `type must be 1 (x509_entry_v2) or 2 (precert_entry_v2), not ${JSON.stringify(type)}`,
    );
  if (typeof submission !== 'string' || submission.length === 0)
    throw new V2Error(400, 'badSubmission', 'submission must be a non-empty base64 string');
  if (!Array.isArray(chain)) throw new V2Error(400, 'malformed', 'chain must be an array');
  const decode = (item: unknown, name: string, type: ErrorType): Bytes => {
    if (typeof item !== 'string' || item.length === 0)
      throw new V2Error(400, type, `${name} must be a non-empty base64 string`);
    try {
      return fromBase64(item);
    } catch (e) {
      throw new V2Error(400, type, `${name}: ${(e as Error).message}`);
    }
  };
  const full = [
    decode(submission, 'submission', 'badSubmission'),
    ...chain.map((c, i) => decode(c, `chain[${i}]`, 'badCertificate')),
  ];
  // §5.1: without the issuer's public key no SCT can be made: the "unknown anchor" error.
  if (full.length < 2)
    throw new V2Error(
      400,
      'unknownAnchor',
      'chain must hold the issuer of the submission (issuer_key_hash needs its key)',
    );
  const precert = type === 2;
  let issuerKeyHash: Bytes;
  let tbs: Bytes;
  try {
    if (precert) {
      // 00 01 ‖ issuer_key_hash[32] ‖ tbs<1..2^24-1>: the v1 PreCert has exactly the v2 entry's fields.
      const signed = new TlsReader(precertSubmission(full).entry.bytes);
      signed.u16('entry_type');
      issuerKeyHash = signed.bytesOf(32, 'issuer_key_hash');
      tbs = signed.vector(3, 'tbs_certificate');
    } else {
      let leaf: ReturnType<typeof parseCertificate>;
      let issuer: ReturnType<typeof parseCertificate>;
      try {
        leaf = parseCertificate(full[0]!);
      } catch (e) {
        if (e instanceof CertificateError) throw new V2Error(400, 'badSubmission', `submission: ${e.message}`);
        throw e;
      }
      try {
        issuer = parseCertificate(full[1]!);
      } catch (e) {
        if (e instanceof CertificateError) throw new V2Error(400, 'badCertificate', `chain[0]: ${e.message}`);
        throw e;
      }
      issuerKeyHash = sha256(issuer.spki);
      tbs = leaf.der.subarray(leaf.tbs.start, leaf.tbs.end);
    }
  } catch (e) {
    if (e instanceof LogInputError) throw submissionError(e);
    throw e;
  }
  let issued: ReturnType<LocalCtLog['addChain']>;
  try {
    issued = precert ? log.addPreChain(full) : log.addChain(full);
  } catch (e) {
    if (e instanceof LogInputError) throw submissionError(e);
    throw e;
  }
  const extensions = new Uint8Array(0);
  const entry = certificateEntryV2(precert, issued.timestamp, issuerKeyHash, tbs, extensions);
  const answer: Record<string, string> = { sct: toBase64(sctV2(log, precert, issued.timestamp, extensions, entry)) };
  const latest = sth(log);
  const proof = latest.treeSize === 0 ? undefined : log.proofByHash(issued.leafHash, latest.treeSize);
  if (proof) {
    answer.sth = latest.item;
    answer.inclusion = toBase64(inclusionProofV2(log, latest.treeSize, proof.leafIndex, proof.auditPath));
  }
  return answer;
}

/**
 * A refusal from the shared submission checks (submission.ts, in full-chain indexing: chain[0]
 * is the submission) as a §5.1 Table 2 error type.
 */
function submissionError(e: LogInputError): V2Error {
  const m = e.message;
  const type: ErrorType = /is not the issuer of|its issuer must follow|more than \d+$|the chain is empty/.test(m)
    ? 'badChain'
    : /^chain\[0\]/.test(m)
      ? 'badSubmission'
      : /^chain\[\d+\]: /.test(m)
        ? 'badCertificate'
        : 'badSubmission';
  return new V2Error(400, type, m);
}

const ENDPOINTS: Record<string, Endpoint> = {
  // §5.1
  'submit-entry': { method: 'POST', params: [], run: (log, _, body) => submitEntry(log, body) },
  // §5.2
  'get-sth': { params: [], run: (log) => ({ sth: sth(log).item }) },
  // §5.3: both sizes known → only `consistency`; `second` unknown (or omitted) → the latest sth and
  // a proof to it; `first` unknown too → the latest sth alone.
  'get-sth-consistency': {
    params: ['first', 'second'],
    run: (log, q) => {
      const first = decimal(q, 'first')!;
      const second = decimal(q, 'second', true);
      const latest = sth(log);
      if (second !== undefined && first > second)
        throw new V2Error(400, 'secondBeforeFirst', `second ${second} is smaller than first ${first}`); // §5.3 Table 3
      if (first > latest.treeSize) return { sth: latest.item };
      if (second === undefined || second > latest.treeSize)
        return { consistency: consistency(log, first, latest.treeSize), sth: latest.item };
      return { consistency: consistency(log, first, second) };
    },
  },
  // §5.4: a known tree_size → only `inclusion`; a larger one → a proof in the latest tree, and its sth.
  // forkProofSth: a known tree_size also gets an sth, of a fork of that tree.
  'get-proof-by-hash': {
    params: ['hash', 'tree_size'],
    run: (log, q) => {
      const hash = base64(q, 'hash');
      const treeSize = decimal(q, 'tree_size')!;
      if (treeSize === 0) throw hashUnknown(hash, 0);
      const latest = sth(log);
      if (treeSize > latest.treeSize) return { inclusion: inclusion(log, hash, latest.treeSize), sth: latest.item };
      const proof = inclusion(log, hash, treeSize);
      if (!log.misbehave.forkProofSth) return { inclusion: proof };
      const forked = { timestamp: log.sth().timestamp, treeSize, rootHash: log.forkedRoot(treeSize) };
      return { inclusion: proof, sth: toBase64(signedTreeHeadV2(log, forked, log.misbehave.badSthSignature)) };
    },
  },
  // §5.5 Table 5: the union of the cases that hold — latest sth < tree_size: that sth; latest sth >
  // tree_size: that sth and a consistency proof from tree_size to it; the leaf within the latest
  // tree: `inclusion` (in it). So tree_size = the latest size gets `inclusion` alone. A leaf not
  // in the latest tree is hashUnknown (§5.4's errors), except under skew, where the sth is the answer.
  'get-all-by-hash': {
    params: ['hash', 'tree_size'],
    run: (log, q) => {
      const hash = base64(q, 'hash');
      const treeSize = decimal(q, 'tree_size')!;
      if (treeSize === 0) throw hashUnknown(hash, 0);
      const latest = sth(log);
      const answer: Record<string, string> = {};
      if (latest.treeSize !== treeSize) answer.sth = latest.item;
      if (latest.treeSize > treeSize) answer.consistency = consistency(log, treeSize, latest.treeSize);
      const proof =
        latest.treeSize < treeSize ? maybeInclusion(log, hash, latest.treeSize) : inclusion(log, hash, latest.treeSize);
      if (proof !== undefined) answer.inclusion = proof;
      return answer;
    },
  },
  // §5.6: entries start..end, cut at the tree end, and the latest sth. A start at or past the tree
  // end gets an empty `entries` (§5.6: "MUST return an empty entries array" under skew), not
  // startUnknown: this log cannot tell skew from a start that is simply too large.
  'get-entries': {
    params: ['start', 'end'],
    run: (log, q) => {
      const start = decimal(q, 'start')!;
      const end = decimal(q, 'end')!;
      if (start > end) throw new V2Error(400, 'endBeforeStart', `start ${start} is after end ${end}`); // §5.6 Table 6
      const latest = sth(log);
      const entries = start < latest.treeSize ? log.entries(start, end) : [];
      return { entries: entries.map(entryJson), sth: latest.item };
    },
  },
  // §5.7: any root is accepted; the log's `roots` (default none) are listed.
  'get-anchors': { params: [], run: (log) => ({ certificates: log.roots.map(toBase64) }) },
  'get-roots': { params: [], run: (log) => ({ certificates: log.roots.map(toBase64) }) },
};

/** Serves /ct/v2/ requests; anything else is left to the next API. */
export const handleV2: ApiHandler = async (log, req, res) => {
  const url = new URL(req.url ?? '/', 'http://log.invalid');
  if (!url.pathname.startsWith(PREFIX)) return false;
  const body = await readBody(req, MAX_BODY);
  let status = 200;
  let json: Json;
  const headers: Record<string, string> = {};
  try {
    const slowMs = log.misbehave.slowMs ?? 0;
    if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs).unref());
    const name = url.pathname.slice(PREFIX.length);
    const endpoint = Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name] : undefined;
    if (!endpoint) throw new V2Error(404, 'malformed', `no such endpoint: ${url.pathname}`);
    const method = endpoint.method ?? 'GET';
    if (req.method !== method) {
      headers.allow = method;
      throw new V2Error(405, 'malformed', `${name} takes ${method}, not ${req.method}`);
    }
    if (body === undefined) throw new V2Error(413, 'malformed', `the body is over ${MAX_BODY} bytes`);
    json = endpoint.run(log, query(url.searchParams, endpoint.params), method === 'POST' ? jsonBody(body) : undefined);
  } catch (e) {
    if (e instanceof V2Error) status = e.status;
    else if (e instanceof LogInputError) status = 400;
    else status = 500;
    // §5: an RFC 7807 Problem Details object. A LogInputError is a request the log could not
    // parse (`malformed`, §5 Table 1); a 500 has no RFC 9162 type, so RFC 7807's default.
    const type = e instanceof V2Error ? ERROR_URN + e.type : status === 400 ? `${ERROR_URN}malformed` : 'about:blank';
    json = { type, detail: (e as Error).message };
    headers['content-type'] = 'application/problem+json';
  }
  let text = JSON.stringify(json);
  const garbage = log.misbehave.garbage;
  if (garbage === 'not-json') text = '<html><body><h1>502 Bad Gateway</h1></body></html>';
  else if (garbage) text = text.slice(0, Math.floor(text.length / 2));
  res
    .writeHead(status, {
      'content-type': 'application/json',
      ...headers,
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
  return true;
};

function jsonBody(body: Bytes): Json {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new V2Error(400, 'malformed', `the body is not JSON: ${(e as Error).message}`);
  }
}

/** Only the named parameters, each at most once; a getter that requires them unless `optional`. */
function query(search: URLSearchParams, names: readonly string[]): Query {
  const params = new Map<string, string>();
  for (const [key, value] of search) {
    if (!names.includes(key)) throw new LogInputError(`unknown parameter "${key}"`);
    if (params.has(key)) throw new LogInputError(`parameter "${key}" is repeated`);
    params.set(key, value);
  }
  return (name, optional = false) => {
    const value = params.get(name);
    if (value === undefined && !optional) throw new LogInputError(`missing parameter "${name}"`);
    return value;
  };
}

/** A decimal whole number without sign, leading zeros or exponent. */
function decimal(q: Query, name: string, optional = false): number | undefined {
  const text = q(name, optional);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(n))
    throw new LogInputError(`${name}: "${text}" is not a whole decimal number`);
  return n;
}

/** Strict base64 (a '+' sent unescaped arrives as ' ', taken back), 32 bytes. */
function base64(q: Query, name: string): Bytes {
  let bytes: Bytes;
  try {
    bytes = fromBase64(q(name)!.replaceAll(' ', '+'));
  } catch (e) {
    throw new LogInputError(`${name}: ${(e as Error).message}`);
  }
  if (bytes.length !== 32) throw new LogInputError(`${name} is ${bytes.length} bytes, not 32`);
  return bytes;
}

/**
 * A get-entries item: `log_entry` (see the header: the RFC 6962 MerkleTreeLeaf) and
 * `submitted_entry` { submission, chain } rebuilt from the entry and its extra_data.
 */
function entryJson(entry: LocalLogEntry): Json {
  const extra = new TlsReader(entry.extraData);
  let submission: Bytes;
  if (entry.entry.type === 'x509_entry') {
    const signed = new TlsReader(entry.entry.bytes);
    signed.u16('entry_type');
    submission = signed.vector(3, 'leaf certificate');
  } else {
    submission = extra.vector(3, 'pre_certificate');
  }
  const chain = new TlsReader(extra.vector(3, 'certificate_chain'));
  const certs: string[] = [];
  while (chain.remaining) certs.push(toBase64(chain.vector(3, 'certificate')));
  return { log_entry: toBase64(entry.leafInput), submitted_entry: { submission: toBase64(submission), chain: certs } };
}
