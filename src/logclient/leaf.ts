/**
 * Decoding the RFC 6962 MerkleTreeLeaf (§3.4) that get-entries returns as leaf_input (§4.6):
 *
 *   struct { Version version (v1 = 0); MerkleLeafType leaf_type (timestamped_entry = 0);
 *            TimestampedEntry timestamped_entry; } MerkleTreeLeaf;
 *
 * with the TimestampedEntry read by timestamped-entry.ts. Strict: every length checked, no byte
 * may trail; a failure is a LeafError naming the field.
 */
import type { Bytes } from '../bytes.js';
import type { EntryType, SignedEntry } from '../sct/signed-data.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import { readTimestampedEntry } from './timestamped-entry.js';

export class LeafError extends Error {
  override name = 'LeafError';
}

export interface MerkleTreeLeaf {
  readonly timestamp: number;
  readonly entryType: EntryType;
  /** entry_type ‖ signed_entry: what the SCT signs (src/sct/signed-data.ts). */
  readonly signedEntry: SignedEntry;
  /** x509_entry: the certificate DER. */
  readonly certificate?: Bytes;
  /** precert_entry: SHA-256 of the issuer's SubjectPublicKeyInfo. */
  readonly issuerKeyHash?: Bytes;
  /** precert_entry: the TBSCertificate DER (poison removed). */
  readonly tbsCertificate?: Bytes;
  /** The CtExtensions' contents. */
  readonly extensions: Bytes;
}

/** Parses leaf_input. The fields are copies, not views into `bytes`. */
export function parseMerkleTreeLeaf(bytes: Bytes): MerkleTreeLeaf {
  try {
    const r = new TlsReader(bytes);
    const version = r.u8('version');
    if (version !== 0) throw new LeafError(`version is ${version}, expected v1 (0)`);
    const leafType = r.u8('leaf_type');
    if (leafType !== 0) throw new LeafError(`leaf_type is ${leafType}, expected timestamped_entry (0)`);
    const entry = readTimestampedEntry(r);
    r.end('MerkleTreeLeaf');
    const common = {
      timestamp: entry.timestamp,
      entryType: entry.type,
      signedEntry: { type: entry.type, bytes: entry.signedEntry.bytes.slice() },
      extensions: entry.extensions.slice(),
    };
    return entry.type === 'x509_entry'
      ? { ...common, certificate: entry.certificate.slice() }
      : { ...common, issuerKeyHash: entry.issuerKeyHash.slice(), tbsCertificate: entry.tbsCertificate.slice() };
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new LeafError(e.message);
    throw e;
  }
}
