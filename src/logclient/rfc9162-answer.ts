/**
 * The parts of RFC 9162 (CT v2) §5 answers that are decoded without the network or the log's key:
 * the answer types, a base64 TransItem field (§4.5) parsed and its log_id checked (§4.4), and one
 * §5.6 get-entries item. Failures are LogHttpErrors 'malformed' naming the field and the URL.
 * Tree heads are not here: "valid" takes the signature check, which Rfc9162Client (rfc9162.ts) does.
 */
import { base64, malformed, object } from './json-fields.js';
import { equalBytes, toHex, type Bytes } from '../bytes.js';
import { decodeOid } from '../der/element.js';
import { leafHash as hashLeaf } from '../merkle/hash.js';
import { LeafError, parseMerkleTreeLeaf, type MerkleTreeLeaf } from './leaf.js';
import type { InclusionAnswer } from './reader.js';
import { certificate } from './rfc6962.js';
import type { SignedTreeHead } from './tree-head.js';
import {
  TransItemError,
  parseCertificateEntryV2,
  parseSctV2,
  type CertificateEntryV2,
  type SctV2,
} from './trans-item.js';

/**
 * §5.5 get-all-by-hash: the leaf's inclusion in the log's latest tree and, when that tree is
 * larger than the one asked about, its signed head and the consistency proof to it.
 */
export interface AllByHash {
  /**
   * The returned sth, verified; the inclusion proof verifies against its root. Absent when the
   * asked tree_size is the log's latest (§5.5 Table 5: then only `inclusion` is returned), in
   * which case the inclusion is in the tree of tree_size and the caller, who has its root, checks it.
   */
  readonly sth?: SignedTreeHead;
  /** The size of the tree the inclusion proof is for: the sth's, or the tree_size asked. */
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly auditPath: readonly Bytes[];
  /** PROOF(tree_size, sth): empty when there is no sth (or it is of tree_size). */
  readonly consistency: readonly Bytes[];
}

/**
 * A get-entries `log_entry` decoded: a TransItem of type x509_entry_v2 / precert_entry_v2 (§4.7),
 * or — accepted because TransItem types 0x0000..0x00FF are RFC 6962's — an RFC 6962 MerkleTreeLeaf
 * (version v1 and leaf_type 0, read as versioned_type 0x0000): a log whose tree holds v1 leaves,
 * as ctlens's local test log does. Anything else is malformed.
 */
type DecodedLogEntry =
  | { readonly kind: 'v2'; readonly entry: CertificateEntryV2 }
  | { readonly kind: 'rfc6962'; readonly leaf: MerkleTreeLeaf };

/** One §5.6 get-entries entry. */
export interface LogEntryV2 {
  /** start + its position in the answer. */
  readonly leafIndex: number;
  readonly timestamp: number;
  /** log_entry as served: the tree leaf. */
  readonly logEntry: Bytes;
  /** HASH(0x00 ‖ log_entry) (§2.1.1). */
  readonly leafHash: Bytes;
  readonly decoded: DecodedLogEntry;
  /** submitted_entry.submission: the certificate, or the precertificate (CMS in RFC 9162) as submitted. */
  readonly submission: Bytes;
  /** submitted_entry.chain: the CA certificates, each parsed. */
  readonly chain: readonly Bytes[];
  /** The entry's SCT, when the log returned it (checked to be this log's). */
  readonly sct?: SctV2;
}

export interface EntriesV2 {
  readonly entries: readonly LogEntryV2[];
  /** The sth returned beside them (verified); every entry is within its tree. */
  readonly sth: SignedTreeHead;
}

/** §5.1 submit-entry's answer. */
export interface SubmittedV2 {
  /** The SCT TransItem, as served. */
  readonly raw: Bytes;
  readonly sct: SctV2;
  /** When the log returned them: a verified tree head and the entry's inclusion proof in it. */
  readonly sth?: SignedTreeHead;
  readonly inclusion?: InclusionAnswer;
}

/**
 * Decodes a base64 TransItem field with `parse`, and checks its log_id against `logId` (the
 * log's LogID, §4.4) when there is one; with none yet, any log_id passes.
 */
export function transItemField<T extends { logId: Bytes }>(
  value: unknown,
  name: string,
  url: string,
  parse: (bytes: Bytes) => T,
  logId: Bytes | undefined,
): T {
  const bytes = base64(value, name, url);
  let item: T;
  try {
    item = parse(bytes);
  } catch (e) {
    if (e instanceof TransItemError) throw malformed(url, `${name}: ${e.message}`);
    throw e;
  }
  if (logId && !equalBytes(item.logId, logId)) {
    throw malformed(url, `${name}: log_id ${oid(item.logId)} is not this log's (${oid(logId)})`);
  }
  return item;
}

/**
 * One §5.6 get-entries item: { log_entry, submitted_entry: { submission, chain }, sct? }. Its sct,
 * when there is one, must carry `logId` (as transItemField checks) and the log_entry's timestamp.
 */
export function logEntryV2(
  value: unknown,
  name: string,
  leafIndex: number,
  url: string,
  logId: Bytes | undefined,
): LogEntryV2 {
  const item = object(value, url, name);
  const logEntry = base64(item.log_entry, `${name}.log_entry`, url);
  let decoded: DecodedLogEntry;
  try {
    decoded =
      logEntry[0] === 0 && logEntry[1] === 0
        ? { kind: 'rfc6962', leaf: parseMerkleTreeLeaf(logEntry) }
        : { kind: 'v2', entry: parseCertificateEntryV2(logEntry) };
  } catch (e) {
    if (e instanceof LeafError || e instanceof TransItemError) throw malformed(url, `${name}.log_entry: ${e.message}`);
    throw e;
  }
  const submitted = object(item.submitted_entry, url, `${name}.submitted_entry`);
  const submission = base64(submitted.submission, `${name}.submitted_entry.submission`, url);
  if (submission.length === 0) throw malformed(url, `${name}.submitted_entry.submission is empty`);
  if (!Array.isArray(submitted.chain)) throw malformed(url, `${name}.submitted_entry.chain is not an array`);
  const chain = submitted.chain.map((c: unknown, i: number) =>
    certificate(c, `${name}.submitted_entry.chain[${i}]`, url),
  );
  const sct = item.sct === undefined ? undefined : transItemField(item.sct, `${name}.sct`, url, parseSctV2, logId);
  const timestamp = decoded.kind === 'v2' ? decoded.entry.timestamp : decoded.leaf.timestamp;
  if (sct && sct.timestamp !== timestamp) {
    throw malformed(url, `${name}.sct timestamp ${sct.timestamp} is not the entry's ${timestamp}`);
  }
  const leafHash = hashLeaf(logEntry);
  return { leafIndex, timestamp, logEntry, leafHash, decoded, submission, chain, ...(sct ? { sct } : {}) };
}

/** A LogID for a message: its dotted OID, or hex when it does not decode as one. */
const oid = (id: Bytes): string => {
  try {
    return decodeOid(id);
  } catch {
    return toHex(id);
  }
};
