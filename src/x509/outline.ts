/**
 * A certificate's summary for people without its names (outlineCertificate): what the
 * verification path's own reading gives, in microseconds; describe.ts fills in the names and SANs
 * (src/x509/names.ts).
 */
import { sha256, toHex, type Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { OID, isCaCertificate, parseCertificate, type CertificateView } from './certificate.js';

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** Hex, colon-separated. */
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Hex SHA-256 of the DER. */
  readonly sha256: string;
  readonly subjectAltNames: readonly string[];
  readonly publicKey: string;
  readonly isPrecertificate: boolean;
  readonly isCA: boolean;
  readonly extensions: readonly { readonly oid: string; readonly name: string; readonly critical: boolean }[];
  /**
   * False for an outline (outlineCertificate): everything but the names and SANs, which
   * describeCertificate fills in; the verdict never depends on them.
   */
  readonly described: boolean;
}

const EXTENSION_NAMES: Record<string, string> = {
  [OID.SCT_LIST]: 'CT precertificate SCTs',
  [OID.PRECERT_POISON]: 'CT precertificate poison',
  '2.5.29.14': 'subject key identifier',
  '2.5.29.15': 'key usage',
  '2.5.29.17': 'subject alternative name',
  '2.5.29.19': 'basic constraints',
  '2.5.29.31': 'CRL distribution points',
  '2.5.29.32': 'certificate policies',
  '2.5.29.35': 'authority key identifier',
  '2.5.29.37': 'extended key usage',
  '1.3.6.1.5.5.7.1.1': 'authority information access',
};

/** The name people know an extension by, else its OID. */
export const extensionName = (oid: string): string => EXTENSION_NAMES[oid] ?? oid;

/**
 * The summary from the verification path's own reading (microseconds): names and SANs are left
 * empty.
 * Precondition: `der` parses with parseCertificate.
 */
export function outlineCertificate(der: Bytes): CertificateSummary {
  return outlineView(parseCertificate(der));
}

/** outlineCertificate of a certificate already parsed (`view.der` is its DER). */
export function outlineView(view: CertificateView): CertificateSummary {
  return {
    subject: '',
    issuer: '',
    serialNumber: toHex(view.serialNumber, ':'),
    notBefore: new Date(view.notBefore).toISOString(),
    notAfter: new Date(view.notAfter).toISOString(),
    sha256: toHex(sha256(view.der)),
    subjectAltNames: [],
    publicKey: describeKey(view.spki),
    isPrecertificate: view.extensions.some((x) => x.oid === OID.PRECERT_POISON),
    isCA: isCaCertificate(view),
    extensions: view.extensions.map((x) => ({ oid: x.oid, name: extensionName(x.oid), critical: x.critical })),
    described: false,
  };
}

/** The key's algorithm and size, for people. */
export function describeKey(spki: Bytes): string {
  try {
    const kind = publicKeyKind(spki);
    if (kind.type === 'ecdsa-p256') return 'ECDSA P-256';
    if (kind.type === 'rsa') return `RSA ${kind.modulusBits} bits`;
    return kind.description;
  } catch {
    return 'unreadable key';
  }
}
