/**
 * The data an SCT signature covers (RFC 6962 §3.2):
 *   digitally-signed struct {
 *     Version sct_version; SignatureType signature_type = certificate_timestamp;
 *     uint64 timestamp; LogEntryType entry_type;
 *     select(entry_type) { case x509_entry: ASN.1Cert; case precert_entry: PreCert; } signed_entry;
 *     CtExtensions extensions;
 *   };
 */
import { concatBytes, type Bytes } from '../bytes.js';
import { encodeUint, encodeVector } from '../tls.js';
import type { SctV1 } from './types.js';

export type EntryType = 'x509_entry' | 'precert_entry';

/** The entry_type and signed_entry parts: what the log was given. */
export interface SignedEntry {
  readonly type: EntryType;
  readonly bytes: Bytes;
}

/** x509_entry: `opaque ASN.1Cert<1..2^24-1>` over the whole leaf certificate. */
export const x509Entry = (leafDer: Bytes): SignedEntry => ({
  type: 'x509_entry',
  bytes: concatBytes(encodeUint(0, 2), encodeVector(leafDer, 3)),
});

/**
 * precert_entry: `struct { opaque issuer_key_hash[32]; TBSCertificate tbs_certificate; } PreCert;`
 * where tbs_certificate is `opaque<1..2^24-1>`. Precondition: issuerKeyHash is 32 bytes.
 */
export function precertEntry(issuerKeyHash: Bytes, tbs: Bytes): SignedEntry {
  if (issuerKeyHash.length !== 32) throw new RangeError('issuer_key_hash must be 32 bytes');
  return { type: 'precert_entry', bytes: concatBytes(encodeUint(1, 2), issuerKeyHash, encodeVector(tbs, 3)) };
}

/** The digitally-signed input for `sct` over `entry`: version 0, signature_type certificate_timestamp (0). */
export const signedData = (sct: SctV1, entry: SignedEntry): Bytes =>
  concatBytes(Uint8Array.of(0, 0), sct.timestampBytes, entry.bytes, encodeVector(sct.extensions, 2));
