/**
 * RFC 6962 §3.4 TimestampedEntry: the body of a MerkleTreeLeaf (get-entries' leaf_input, §4.6)
 * and the head of a static-ct-api TileLeaf (c2sp.org/static-ct-api, "Log entries"):
 *
 *   struct { uint64 timestamp; LogEntryType entry_type;
 *            select (entry_type) { case x509_entry: ASN.1Cert;            // opaque<1..2^24-1>
 *                                  case precert_entry: PreCert; } signed_entry;
 *                                  // { opaque issuer_key_hash[32]; opaque tbs_certificate<1..2^24-1>; }
 *            CtExtensions extensions; } TimestampedEntry;           // opaque<0..2^16-1>
 *
 * One reader for both. Byte fields are views into the reader's input.
 */
import type { Bytes } from '../bytes.js';
import type { SignedEntry } from '../sct/signed-data.js';
import { TlsDecodeError, type TlsReader } from '../tls.js';

/** PreCert.issuer_key_hash: a SHA-256 hash. */
const ISSUER_KEY_HASH_SIZE = 32;

interface Common {
  /** ms since the epoch. */
  readonly timestamp: number;
  /** entry_type ‖ signed_entry: what an SCT over this entry signs (src/sct/signed-data.ts). */
  readonly signedEntry: SignedEntry;
  /** The CtExtensions' contents. */
  readonly extensions: Bytes;
  /** The whole TimestampedEntry as read. */
  readonly bytes: Bytes;
}

export type TimestampedEntry =
  | (Common & { readonly type: 'x509_entry'; readonly certificate: Bytes })
  | (Common & {
      readonly type: 'precert_entry';
      /** PreCert.issuer_key_hash: SHA-256 of the issuer's SubjectPublicKeyInfo. */
      readonly issuerKeyHash: Bytes;
      /** PreCert.tbs_certificate: the TBSCertificate the final certificate will have. */
      readonly tbsCertificate: Bytes;
    });

/**
 * Reads one TimestampedEntry at the reader's position. Every length is checked; a failure is a
 * TlsDecodeError naming the field, through `name` (which may add where the entry is).
 */
export function readTimestampedEntry(r: TlsReader, name: (field: string) => string = (f) => f): TimestampedEntry {
  const start = r.position;
  const timestamp = r.u64(name('timestamp'));
  const signedStart = r.position;
  const code = r.u16(name('entry_type'));
  if (code === 0) {
    const certificate = r.vector(3, name('x509_entry ASN.1Cert'), 1);
    const signedEntry: SignedEntry = { type: 'x509_entry', bytes: r.since(signedStart) };
    const extensions = r.vector(2, name('extensions'));
    return { type: 'x509_entry', timestamp, certificate, signedEntry, extensions, bytes: r.since(start) };
  }
  if (code === 1) {
    const issuerKeyHash = r.bytesOf(ISSUER_KEY_HASH_SIZE, name('precert_entry issuer_key_hash'));
    const tbsCertificate = r.vector(3, name('precert_entry tbs_certificate'), 1);
    const signedEntry: SignedEntry = { type: 'precert_entry', bytes: r.since(signedStart) };
    const extensions = r.vector(2, name('extensions'));
    const bytes = r.since(start);
    return { type: 'precert_entry', timestamp, issuerKeyHash, tbsCertificate, signedEntry, extensions, bytes };
  }
  throw new TlsDecodeError(`${name('entry_type')} is ${code}, neither x509_entry (0) nor precert_entry (1)`);
}
