/**
 * Decoding the RFC 9162 (CT v2) structures a /ct/v2/ client reads: TransItem (§4.5; its `data` is
 * the structure itself, with no length prefix) wrapping
 * x509_entry_v2 / precert_entry_v2 (§4.7), x509_sct_v2 / precert_sct_v2 (§4.8),
 * signed_tree_head_v2 (§4.10), consistency_proof_v2 (§4.11) and inclusion_proof_v2 (§4.12).
 * Strict: the type must be the one expected, every length is checked, no byte may trail, and a
 * failure is a TransItemError naming the field.
 */
import type { Bytes } from '../bytes.js';
import { DerError, decodeOid } from '../der/element.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { TlsDecodeError, TlsReader } from '../tls.js';

/** RFC 9162 §4.5 VersionedTransType, values as registered in §10.2.3 (0x0000..0x00FF are reserved for RFC 6962). */
const TRANS_TYPE = {
  x509_entry_v2: 0x0100,
  precert_entry_v2: 0x0101,
  x509_sct_v2: 0x0102,
  precert_sct_v2: 0x0103,
  signed_tree_head_v2: 0x0104,
  consistency_proof_v2: 0x0105,
  inclusion_proof_v2: 0x0106,
} as const;
export type TransTypeName = keyof typeof TRANS_TYPE;

const typeName = (value: number): string => {
  const name = Object.entries(TRANS_TYPE).find(([, v]) => v === value)?.[0];
  return `${name ?? 'unknown type'} (0x${value.toString(16).padStart(4, '0')})`;
};

export class TransItemError extends Error {
  override name = 'TransItemError';
}

/** RFC 9162 §4.9 TreeHeadDataV2. */
interface TreeHeadDataV2 {
  readonly timestamp: number;
  readonly treeSize: number;
  readonly rootHash: Bytes;
  /** The sth_extensions vector's contents (well-formed and ordered; not interpreted). */
  readonly extensions: Bytes;
}

/** RFC 9162 §4.10 SignedTreeHeadDataV2. */
export interface SignedTreeHeadV2 {
  /** LogID (§4.4): the DER of the log's OID without tag and length. */
  readonly logId: Bytes;
  readonly treeHead: TreeHeadDataV2;
  /** The encoded tree_head field: the bytes the signature covers (§4.10). */
  readonly signedData: Bytes;
  readonly signature: Bytes;
}

/** RFC 9162 §4.11 ConsistencyProofDataV2. */
export interface ConsistencyProofV2 {
  readonly logId: Bytes;
  readonly treeSize1: number;
  readonly treeSize2: number;
  readonly path: Bytes[];
}

/** RFC 9162 §4.12 InclusionProofDataV2. */
export interface InclusionProofV2 {
  readonly logId: Bytes;
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly path: Bytes[];
}

/** More than any tree of 2^64 leaves needs. */
const MAX_PATH = 64;

/** RFC 9162 §4.7 TimestampedCertificateEntryDataV2, in a TransItem of type x509_entry_v2 or precert_entry_v2. */
export interface CertificateEntryV2 {
  readonly type: 'x509_entry_v2' | 'precert_entry_v2';
  readonly timestamp: number;
  /** Hash of the issuer's SubjectPublicKeyInfo (32 bytes for SHA-256). */
  readonly issuerKeyHash: Bytes;
  readonly tbsCertificate: Bytes;
  /** The sct_extensions vector's contents. */
  readonly extensions: Bytes;
}

/** RFC 9162 §4.8 SignedCertificateTimestampDataV2, in a TransItem of type x509_sct_v2 or precert_sct_v2. */
export interface SctV2 {
  readonly type: 'x509_sct_v2' | 'precert_sct_v2';
  readonly logId: Bytes;
  readonly timestamp: number;
  readonly extensions: Bytes;
  /**
   * Over the TransItem of the matching *_entry_v2 type (§4.8), no DigitallySigned wrapper;
   * `opaque signature<1..2^16-1>`.
   */
  readonly signature: Bytes;
}

/**
 * §4.5: `versioned_type` (uint16) then `data`, not length-prefixed. Runs `parse` on the data of a TransItem
 * that must be of one of the `expected` types, with all bytes consumed.
 */
function transItem<T, N extends TransTypeName>(
  bytes: Bytes,
  expected: N | readonly N[],
  parse: (r: TlsReader, type: N) => T,
): T {
  const allowed: readonly N[] = typeof expected === 'string' ? [expected] : expected;
  const what = allowed.join(' or ');
  try {
    const r = new TlsReader(bytes);
    const type = r.u16('versioned_type');
    const name = allowed.find((n) => TRANS_TYPE[n] === type);
    if (name === undefined)
      throw new TransItemError(
        `TransItem is ${typeName(type)}, expected ${allowed.map((n) => typeName(TRANS_TYPE[n])).join(' or ')}`,
      );
    const out = parse(r, name);
    r.end(what);
    return out;
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new TransItemError(`${what} TransItem: ${e.message}`);
    throw e;
  }
}

/** §4.4 `opaque LogID<2..127>`: the content octets of a DER OBJECT IDENTIFIER. */
function logId(r: TlsReader): Bytes {
  const id = r.vector(1, 'log_id', 2);
  if (id.length > 127) throw new TransItemError(`log_id is ${id.length} bytes, more than 127`);
  try {
    decodeOid(id);
  } catch (e) {
    if (e instanceof DerError) throw new TransItemError(`log_id is not the DER of an OID: ${e.message}`);
    throw e;
  }
  return id.slice();
}

/** §4.9 `opaque NodeHash<32..2^8-1>`, which for a SHA-256 log MUST be 32 bytes. */
function nodeHash(r: TlsReader, what: string): Bytes {
  const hash = r.vector(1, what, HASH_SIZE);
  if (hash.length !== HASH_SIZE)
    throw new TransItemError(`${what} is ${hash.length} bytes, expected ${HASH_SIZE} (SHA-256)`);
  return hash.slice();
}

/** `NodeHash path<0..2^16-1>` (§4.11, §4.12). */
function path(r: TlsReader, what: string): Bytes[] {
  const inner = new TlsReader(r.vector(2, what));
  const hashes: Bytes[] = [];
  while (inner.remaining) {
    if (hashes.length === MAX_PATH)
      throw new TransItemError(`${what} has more than ${MAX_PATH} hashes, more than any tree needs`);
    hashes.push(nodeHash(inner, `${what}[${hashes.length}]`));
  }
  return hashes;
}

/**
 * §4.9 `Extension sth_extensions<0..2^16-1>` / §4.8 sct_extensions, each (§4.6) { ExtensionType
 * (uint16); opaque extension_data<0..2^16-1> }: no type twice, smallest first. Contents are ignored (none are defined).
 */
function extensions(r: TlsReader, name = 'sth_extensions'): Bytes {
  const all = r.vector(2, name);
  const inner = new TlsReader(all);
  let last = -1;
  while (inner.remaining) {
    const type = inner.u16(`${name} extension_type`);
    inner.vector(2, `${name} extension_data`);
    if (type <= last) throw new TransItemError(`${name} are not in increasing type order (${type} after ${last})`);
    last = type;
  }
  return all.slice();
}

/** §4.10: TransItem of type signed_tree_head_v2. */
export function parseSignedTreeHeadV2(bytes: Bytes): SignedTreeHeadV2 {
  return transItem(bytes, 'signed_tree_head_v2', (r) => {
    const id = logId(r);
    const start = r.position;
    const treeHead: TreeHeadDataV2 = {
      timestamp: r.u64('tree_head.timestamp'),
      treeSize: r.u64('tree_head.tree_size'),
      rootHash: nodeHash(r, 'tree_head.root_hash'),
      extensions: extensions(r),
    };
    const signedData = bytes.slice(start, r.position);
    // §4.10 `opaque signature<1..2^16-1>`: never empty.
    const signature = r.vector(2, 'signature', 1).slice();
    return { logId: id, treeHead, signedData, signature };
  });
}

/** §4.11: TransItem of type consistency_proof_v2. */
export const parseConsistencyProofV2 = (bytes: Bytes): ConsistencyProofV2 =>
  transItem(bytes, 'consistency_proof_v2', (r) => ({
    logId: logId(r),
    treeSize1: r.u64('tree_size_1'),
    treeSize2: r.u64('tree_size_2'),
    path: path(r, 'consistency_path'),
  }));

/** §4.12: TransItem of type inclusion_proof_v2. */
export const parseInclusionProofV2 = (bytes: Bytes): InclusionProofV2 =>
  transItem(bytes, 'inclusion_proof_v2', (r) => ({
    logId: logId(r),
    treeSize: r.u64('tree_size'),
    leafIndex: r.u64('leaf_index'),
    path: path(r, 'inclusion_path'),
  }));

/** §4.7: TransItem of type x509_entry_v2 or precert_entry_v2 (a v2 log's Merkle tree leaf). */
export const parseCertificateEntryV2 = (bytes: Bytes): CertificateEntryV2 =>
  transItem(bytes, ['x509_entry_v2', 'precert_entry_v2'] as const, (r, type) => ({
    type,
    timestamp: r.u64('timestamp'),
    issuerKeyHash: nodeHash(r, 'issuer_key_hash'),
    tbsCertificate: r.vector(3, 'tbs_certificate', 1).slice(),
    extensions: extensions(r, 'sct_extensions'),
  }));

/** §4.8: TransItem of type x509_sct_v2 or precert_sct_v2. */
export const parseSctV2 = (bytes: Bytes): SctV2 =>
  transItem(bytes, ['x509_sct_v2', 'precert_sct_v2'] as const, (r, type) => ({
    type,
    logId: logId(r),
    timestamp: r.u64('timestamp'),
    extensions: extensions(r, 'sct_extensions'),
    // §4.8 `opaque signature<1..2^16-1>`: never empty.
    signature: r.vector(2, 'signature', 1).slice(),
  }));
