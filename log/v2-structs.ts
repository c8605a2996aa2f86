/**
 * The RFC 9162 (CT v2) structures the test log writes for /ct/v2/: its LogID (§4.4), TransItem
 * (§4.5) of type x509_entry_v2 / precert_entry_v2 (§4.7, what an SCT signs), x509_sct_v2 /
 * precert_sct_v2 (§4.8), signed_tree_head_v2 (§4.9, §4.10), consistency_proof_v2 (§4.11) and
 * inclusion_proof_v2 (§4.12). Encoders only; src/logclient/trans-item.ts decodes independently.
 */
import { sign } from 'node:crypto';
import { concatBytes, type Bytes } from '../src/bytes.js';
import { encodeUint, encodeVector } from '../src/tls.js';
import type { LocalCtLog } from './log.js';

/** §4.5 VersionedTransType values this log writes (registered in §10.2.3). */
const X509_ENTRY_V2 = 0x0100;
const PRECERT_ENTRY_V2 = 0x0101;
const X509_SCT_V2 = 0x0102;
const PRECERT_SCT_V2 = 0x0103;
const SIGNED_TREE_HEAD_V2 = 0x0104;
const CONSISTENCY_PROOF_V2 = 0x0105;
const INCLUSION_PROOF_V2 = 0x0106;

/** Base-128 subidentifier (X.690 §8.19.2). */
function subidentifier(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) out.unshift(0x80 | (v & 0x7f));
  return out;
}

/** DER content octets of a dotted OID (no tag, no length), as §4.4 LogID holds them. */
function oidContent(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number);
  return Uint8Array.from([arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)].flatMap(subidentifier));
}

/**
 * The test log's v2 identity. RFC 9162 §4.4 identifies a log by an OID its operator allocates;
 * test logs take one under {joint-iso-itu-t(2) example(999)} (ITU-T X.660's arc for examples):
 * 2.999.6962.9162.<the first 4 bytes of the key-hash log id>, so two test logs differ.
 */
export function testLogV2Id(log: LocalCtLog): { oid: string; logId: Bytes } {
  const n = new DataView(log.logId.buffer, log.logId.byteOffset, 4).getUint32(0);
  const oid = `2.999.6962.9162.${n}`;
  return { oid, logId: oidContent(oid) };
}

const u64 = (n: number): Bytes => encodeUint(n, 8);
const logIdField = (logId: Bytes): Bytes => encodeVector(logId, 1);
/** `NodeHash path<0..2^16-1>`, each `opaque NodeHash<32..2^8-1>`. */
const path = (hashes: readonly Bytes[]): Bytes =>
  encodeVector(concatBytes(...hashes.map((h) => encodeVector(h, 1))), 2);

/** §4.5 TransItem: versioned_type (uint16) followed by the data, which is not length-prefixed. */
export const transItem = (type: number, data: Bytes): Bytes => concatBytes(encodeUint(type, 2), data);

/** §4.9 TreeHeadDataV2 with no sth_extensions: the bytes the §4.10 signature covers. */
const treeHeadDataV2 = (timestamp: number, treeSize: number, rootHash: Bytes): Bytes =>
  concatBytes(u64(timestamp), u64(treeSize), encodeVector(rootHash, 1), encodeVector(new Uint8Array(0), 2));

/**
 * §4.10 SignedTreeHeadDataV2 { LogID log_id; TreeHeadDataV2 tree_head; opaque signature<1..2^16-1> }
 * in a TransItem. The signature is the log's ECDSA P-256/SHA-256 signature (DER) over the encoded
 * tree_head; `corrupt` flips its last byte (the DER stays well-formed).
 */
export function signedTreeHeadV2(
  log: LocalCtLog,
  head: { timestamp: number; treeSize: number; rootHash: Bytes },
  corrupt = false,
): Bytes {
  const treeHead = treeHeadDataV2(head.timestamp, head.treeSize, head.rootHash);
  const signature = new Uint8Array(sign('sha256', treeHead, log.privateKey));
  if (corrupt) signature[signature.length - 1]! ^= 0x01;
  return transItem(
    SIGNED_TREE_HEAD_V2,
    concatBytes(logIdField(testLogV2Id(log).logId), treeHead, encodeVector(signature, 2)),
  );
}

/** §4.11 ConsistencyProofDataV2 in a TransItem. */
export const consistencyProofV2 = (log: LocalCtLog, size1: number, size2: number, proof: readonly Bytes[]): Bytes =>
  transItem(CONSISTENCY_PROOF_V2, concatBytes(logIdField(testLogV2Id(log).logId), u64(size1), u64(size2), path(proof)));

/** §4.12 InclusionProofDataV2 in a TransItem. */
export const inclusionProofV2 = (
  log: LocalCtLog,
  treeSize: number,
  leafIndex: number,
  proof: readonly Bytes[],
): Bytes =>
  transItem(
    INCLUSION_PROOF_V2,
    concatBytes(logIdField(testLogV2Id(log).logId), u64(treeSize), u64(leafIndex), path(proof)),
  );

/**
 * §4.7 TimestampedCertificateEntryDataV2 { uint64 timestamp; opaque issuer_key_hash<32..2^8-1>;
 * TBSCertificate tbs_certificate<1..2^24-1>; Extension sct_extensions<0..2^16-1> } in a TransItem
 * of type x509_entry_v2 or precert_entry_v2: a v2 tree leaf, and what a v2 SCT signs (§4.8).
 */
export const certificateEntryV2 = (
  precert: boolean,
  timestamp: number,
  issuerKeyHash: Bytes,
  tbs: Bytes,
  extensions: Bytes,
): Bytes =>
  transItem(
    precert ? PRECERT_ENTRY_V2 : X509_ENTRY_V2,
    concatBytes(u64(timestamp), encodeVector(issuerKeyHash, 1), encodeVector(tbs, 3), encodeVector(extensions, 2)),
  );

/**
 * §4.8 SignedCertificateTimestampDataV2 { LogID log_id; uint64 timestamp; Extension
 * sct_extensions<0..2^16-1>; opaque signature<1..2^16-1> } in a TransItem of type x509_sct_v2 or
 * precert_sct_v2; the signature is the log's ECDSA P-256/SHA-256 signature (DER) over `entry`,
 * the matching certificateEntryV2 (same timestamp and extensions).
 */
export function sctV2(log: LocalCtLog, precert: boolean, timestamp: number, extensions: Bytes, entry: Bytes): Bytes {
  const signature = new Uint8Array(sign('sha256', entry, log.privateKey));
  return transItem(
    precert ? PRECERT_SCT_V2 : X509_SCT_V2,
    concatBytes(
      logIdField(testLogV2Id(log).logId),
      u64(timestamp),
      encodeVector(extensions, 2),
      encodeVector(signature, 2),
    ),
  );
}
