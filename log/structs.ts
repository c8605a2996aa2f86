/**
 * The TLS structures a CT log writes (RFC 6962 §3): the MerkleTreeLeaf it appends (§3.4), the SCT
 * it returns (§3.2), the TreeHeadSignature input (§3.5), DigitallySigned (RFC 5246 §4.7) and the
 * get-entries extra_data (§4.6); and the static-ct-api's TileLeaf. Its leaf_index extension is
 * written by src/sct/extensions.ts, beside the reader the client uses.
 */
import { concatBytes, sha256, type Bytes } from '../src/bytes.js';
import type { SignedEntry } from '../src/sct/signed-data.js';
import { encodeUint, encodeVector } from '../src/tls.js';

export { leafIndexExtensions } from '../src/sct/extensions.js';

const EMPTY = new Uint8Array(0);

/**
 * MerkleTreeLeaf (§3.4): version v1 (0) ‖ leaf_type timestamped_entry (0) ‖ TimestampedEntry
 * { uint64 timestamp; LogEntryType entry_type; signed_entry; CtExtensions extensions<0..2^16-1> }.
 * For v1 these are also exactly the bytes the SCT signs (§3.2: sct_version 0 and signature_type
 * certificate_timestamp 0 in place of version and leaf_type), i.e. src's signedData(sct, entry).
 */
export const merkleTreeLeaf = (timestamp: number, entry: SignedEntry, extensions: Bytes = EMPTY): Bytes =>
  concatBytes(Uint8Array.of(0, 0), encodeUint(timestamp, 8), entry.bytes, encodeVector(extensions, 2));

/** DigitallySigned: hash sha256 (4) ‖ signature ecdsa (3) ‖ opaque signature<0..2^16-1> (DER ECDSA-Sig-Value). */
export const digitallySigned = (derSignature: Bytes): Bytes =>
  concatBytes(Uint8Array.of(4, 3), encodeVector(derSignature, 2));

/**
 * SignedCertificateTimestamp (§3.2): sct_version v1 (0) ‖ LogID (32) ‖ uint64 timestamp ‖
 * CtExtensions<0..2^16-1> ‖ digitally-signed.
 */
export const serializeSct = (logId: Bytes, timestamp: number, extensions: Bytes, signature: Bytes): Bytes =>
  concatBytes(Uint8Array.of(0), logId, encodeUint(timestamp, 8), encodeVector(extensions, 2), signature);

/**
 * TreeHeadSignature (§3.5): version v1 (0) ‖ signature_type tree_hash (1) ‖ uint64 timestamp ‖
 * uint64 tree_size ‖ sha256_root_hash[32].
 */
export const treeHeadSignatureInput = (timestamp: number, treeSize: number, rootHash: Bytes): Bytes =>
  concatBytes(Uint8Array.of(0, 1), encodeUint(timestamp, 8), encodeUint(treeSize, 8), rootHash);

/** ASN.1Cert certificate_chain<0..2^24-1>: each certificate an opaque<1..2^24-1>. */
const certificateChain = (certs: readonly Bytes[]): Bytes =>
  encodeVector(concatBytes(...certs.map((c) => encodeVector(c, 3))), 3);

/** extra_data for an x509_entry (§4.6): the chain after the leaf. */
export const x509ExtraData = (chain: readonly Bytes[]): Bytes => certificateChain(chain.slice(1));

/** extra_data for a precert_entry (§4.6): PrecertChainEntry { ASN.1Cert pre_certificate; certificate_chain }. */
export const precertExtraData = (chain: readonly Bytes[]): Bytes =>
  concatBytes(encodeVector(chain[0]!, 3), certificateChain(chain.slice(1)));

/**
 * static-ct-api "Log entries": TileLeaf { TimestampedEntry timestamped_entry; select (entry_type)
 * { x509_entry: Empty; precert_entry: ASN.1Cert pre_certificate; }; Fingerprint
 * certificate_chain<0..2^16-1>; } with Fingerprint = SHA-256 of each issuer in the submitted chain.
 * The TimestampedEntry is the MerkleTreeLeaf after its version and leaf_type bytes (RFC 6962 §3.4).
 */
export const tileLeaf = (leafInput: Bytes, precert: boolean, chain: readonly Bytes[]): Bytes =>
  concatBytes(
    leafInput.subarray(2),
    precert ? encodeVector(chain[0]!, 3) : EMPTY,
    encodeVector(concatBytes(...chain.slice(1).map((c) => sha256(c))), 2),
  );
