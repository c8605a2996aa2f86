/**
 * Decoding the RFC 6962 MerkleTreeLeaf (§3.4) that get-entries returns as leaf_input (§4.6):
 *
 *   struct { Version version (v1 = 0); MerkleLeafType leaf_type (timestamped_entry = 0);
 *            TimestampedEntry timestamped_entry; } MerkleTreeLeaf;
 *   struct { uint64 timestamp; LogEntryType entry_type;
 *            select (entry_type) { case x509_entry: ASN.1Cert;            // opaque<1..2^24-1>
 *                                  case precert_entry: PreCert; } signed_entry;
 *                                  // { opaque issuer_key_hash[32]; opaque tbs<1..2^24-1>; }
 *            CtExtensions extensions; } TimestampedEntry;           // opaque<0..2^16-1>
 *
 * Strict: every length checked, no byte may trail; a failure is a LeafError naming the field.
 */
import type { Bytes } from '../bytes.js';
import type { EntryType, SignedEntry } from '../sct/signed-data.js';
import { TlsDecodeError, TlsReader } from '../tls.js';

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

export function parseMerkleTreeLeaf(bytes: Bytes): MerkleTreeLeaf {
  try {
    const r = new TlsReader(bytes);
    const version = r.u8('version');
    if (version !== 0) throw new LeafError(`version is ${version}, expected v1 (0)`);
    const leafType = r.u8('leaf_type');
    if (leafType !== 0) throw new LeafError(`leaf_type is ${leafType}, expected timestamped_entry (0)`);
    const timestamp = r.u64('timestamp');
    const entryStart = r.position;
    const type = r.u16('entry_type');
    let leaf: Omit<MerkleTreeLeaf, 'signedEntry' | 'extensions'>;
    if (type === 0) {
      leaf = { timestamp, entryType: 'x509_entry', certificate: r.vector(3, 'x509_entry ASN.1Cert', 1).slice() };
    } else if (type === 1) {
      const issuerKeyHash = r.bytesOf(32, 'precert_entry issuer_key_hash').slice();
      leaf = { timestamp, entryType: 'precert_entry', issuerKeyHash, tbsCertificate: r.vector(3, 'precert_entry tbs_certificate', 1).slice() };
    } else {
      throw new LeafError(`entry_type is ${type}, neither x509_entry (0) nor precert_entry (1)`);
    }
    const signedEntry: SignedEntry = { type: leaf.entryType, bytes: bytes.slice(entryStart, r.position) };
    const extensions = r.vector(2, 'extensions').slice();
    r.end('MerkleTreeLeaf');
    return { ...leaf, signedEntry, extensions };
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new LeafError(e.message);
    throw e;
  }
}
