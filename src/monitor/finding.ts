/**
 * What a matching entry is, for the report: one finding per certificate, a precertificate and its
 * final certificate being one (RFC 6962 §3.1: the same TBSCertificate but for the poison and the
 * SCT list), keyed by SHA-256 of that TBS (src/x509/precert-tbs.ts rebuilds it from a final
 * certificate; a precert_entry carries it, the poison already removed, §3.2). Described in full
 * (names and SANs, describe.ts) only here, for matches.
 */
import { concatBytes, sha256, toHex, type Bytes } from '../bytes.js';
import { encodeLength } from '../der/element.js';
import { parseCertificate, type CertificateView } from '../x509/certificate.js';
import { describeCertificate } from '../x509/describe.js';
import { precertTbs } from '../x509/precert-tbs.js';
import type { MonitorEntry } from './entry.js';

export interface FindingCertificate {
  /** Hex SHA-256 of the certificate (the precertificate for a precert_entry); null when unknown. */
  readonly sha256: string | null;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subjectAltNames: readonly string[];
}

export interface Described {
  /** Hex SHA-256 of the TBS without poison and SCT list: what a precertificate and its certificate share. */
  readonly key: string;
  readonly certificate: FindingCertificate;
  readonly precertificate: boolean;
  /** Hex SHA-256 values an --authorize list may name: the certificate's, the key's (SPKI), the TBS key. */
  readonly hashes: readonly string[];
}

/** A TBSCertificate inside a Certificate with an empty signature: parseCertificate reads it. */
const asCertificate = (tbs: Bytes): Bytes => {
  const body = concatBytes(tbs, Uint8Array.of(0x30, 0x00, 0x03, 0x01, 0x00));
  return concatBytes(Uint8Array.of(0x30), encodeLength(body.length), body);
};

/** Throws CertificateError (certificate.ts) when the entry's certificate or TBS does not parse. */
export function describeEntry(entry: MonitorEntry): Described {
  let view: CertificateView;
  let key: Bytes;
  let shown: Bytes | undefined;
  if (entry.type === 'x509_entry') {
    view = parseCertificate(entry.body);
    key = sha256(precertTbs(view));
    shown = entry.body;
  } else {
    view = parseCertificate(asCertificate(entry.body));
    key = sha256(entry.body);
    shown = entry.preCertificate();
  }
  const summary = describeCertificate(shown ?? view.der);
  const certificate: FindingCertificate = {
    sha256: shown ? summary.sha256 : null,
    subject: summary.subject,
    issuer: summary.issuer,
    serialNumber: summary.serialNumber,
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
    subjectAltNames: summary.subjectAltNames,
  };
  const hashes = [toHex(key), toHex(sha256(view.spki)), ...(shown ? [toHex(sha256(shown))] : [])];
  return { key: toHex(key), certificate, precertificate: entry.type === 'precert_entry', hashes };
}

/**
 * For --authorize with a certificate: its SHA-256 and its TBS key, so that its precertificate is
 * authorized too. Throws CertificateError.
 */
export function authorizedHashes(der: Bytes): string[] {
  return [toHex(sha256(der)), toHex(sha256(precertTbs(parseCertificate(der))))];
}
