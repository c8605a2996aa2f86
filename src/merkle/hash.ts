/**
 * Merkle tree hashing for CT (RFC 6962 §2.1, RFC 9162 §2.1.1): SHA-256 with domain separation,
 * 0x00 for leaves and 0x01 for interior nodes.
 */
import { sha256, type Bytes } from '../bytes.js';
import type { SctV1 } from '../sct/types.js';
import { signedData, type SignedEntry } from '../sct/signed-data.js';

export const HASH_SIZE = 32;

/** SHA-256(0x00 ‖ leaf). */
export function leafHash(leaf: Bytes): Bytes {
  const input = new Uint8Array(leaf.length + 1);
  input.set(leaf, 1);
  return sha256(input);
}

/** SHA-256(0x01 ‖ left ‖ right). Precondition: both are 32-byte hashes. */
export function nodeHash(left: Bytes, right: Bytes): Bytes {
  const input = new Uint8Array(1 + 2 * HASH_SIZE);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256(input);
}

/**
 * The leaf hash of the log entry an SCT promises (RFC 6962 §3.4): the MerkleTreeLeaf is
 *   version v1 (0) ‖ leaf_type timestamped_entry (0) ‖ TimestampedEntry
 * with TimestampedEntry = timestamp ‖ entry_type ‖ signed_entry ‖ extensions, exactly as the SCT
 * signed it. For v1 those bytes equal the SCT's signed data (sct_version 0 and signature_type
 * certificate_timestamp 0 take the places of version and leaf_type), so the leaf is built by the
 * same code that verified the signature.
 */
export const sctLeafHash = (sct: SctV1, entry: SignedEntry): Bytes => leafHash(signedData(sct, entry));
