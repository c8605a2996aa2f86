/**
 * The fields of an X.509 certificate (RFC 5280 §4.1) that verification needs, read straight
 * from the original DER with offsets kept, so the TBSCertificate can be rebuilt byte-exactly.
 * For what people read (names, SANs) see describe.ts.
 */
import type { Bytes } from '../bytes.js';
import {
  DerError,
  TAG,
  children,
  content,
  contextTag,
  decodeOid,
  decodeTime,
  expectElement,
  whole,
  type DerElement,
} from '../der/element.js';
import { basicConstraintsCa } from './basic-constraints.js';

export const OID = {
  /** RFC 6962 §3.3: the embedded SignedCertificateTimestampList. */
  SCT_LIST: '1.3.6.1.4.1.11129.2.4.2',
  /** RFC 6962 §3.1: the critical poison extension that marks a precertificate. */
  PRECERT_POISON: '1.3.6.1.4.1.11129.2.4.3',
  /** RFC 6962 §3.1: extended key usage of a Precertificate Signing Certificate. */
  PRECERT_SIGNING_EKU: '1.3.6.1.4.1.11129.2.4.4',
  /** RFC 6962 §3.3: SCT list in an OCSP SingleExtension. */
  OCSP_SCT_LIST: '1.3.6.1.4.1.11129.2.4.5',
  AUTHORITY_KEY_ID: '2.5.29.35',
  EXTENDED_KEY_USAGE: '2.5.29.37',
  BASIC_CONSTRAINTS: '2.5.29.19',
} as const;

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** Content of extnValue (the bytes inside the OCTET STRING). */
  readonly value: Bytes;
  /** The whole Extension SEQUENCE, as offsets into the certificate DER. */
  readonly element: DerElement;
}

export interface CertificateView {
  readonly der: Bytes;
  /** The TBSCertificate element (offsets into der). */
  readonly tbs: DerElement;
  /** Children of the TBSCertificate, in order. */
  readonly tbsFields: readonly DerElement[];
  readonly serialNumber: Bytes;
  /** The issuer Name, DER. */
  readonly issuer: Bytes;
  /** The subject Name, DER. */
  readonly subject: Bytes;
  /** Index in tbsFields of the issuer Name. */
  readonly issuerIndex: number;
  readonly notBefore: number;
  readonly notAfter: number;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Bytes;
  /** The [3] EXPLICIT wrapper and the Extensions SEQUENCE inside it, when present. */
  readonly extensionsWrapper: DerElement | undefined;
  readonly extensionsSequence: DerElement | undefined;
  readonly extensions: readonly Extension[];
}

export class CertificateError extends Error {
  override name = 'CertificateError';
}

/** Parses a DER certificate. Throws CertificateError naming what is wrong. */
export function parseCertificate(der: Bytes): CertificateView {
  try {
    return parse(der);
  } catch (e) {
    if (e instanceof DerError) throw new CertificateError(`certificate is not valid DER: ${e.message}`);
    throw e;
  }
}

function parse(der: Bytes): CertificateView {
  const outer = expectElement(der, 0, der.length, TAG.SEQUENCE, 'Certificate');
  if (outer.end !== der.length) {
    throw new CertificateError(`certificate has ${der.length - outer.end} trailing bytes after the DER SEQUENCE`);
  }
  const parts = children(der, outer, 'Certificate');
  if (parts.length !== 3) throw new CertificateError(`Certificate has ${parts.length} fields, expected 3`);
  const tbs = parts[0]!;
  if (tbs.tag !== TAG.SEQUENCE) throw new CertificateError('TBSCertificate is not a SEQUENCE');
  const fields = children(der, tbs, 'TBSCertificate');

  let i = 0;
  if (fields[0]?.tag === contextTag(0, true)) i++; // version [0] EXPLICIT
  const serial = field(fields, i++, TAG.INTEGER, 'serialNumber');
  field(fields, i++, TAG.SEQUENCE, 'signature');
  const issuerIndex = i;
  const issuer = field(fields, i++, TAG.SEQUENCE, 'issuer');
  const validity = field(fields, i++, TAG.SEQUENCE, 'validity');
  const subject = field(fields, i++, TAG.SEQUENCE, 'subject');
  const spki = field(fields, i++, TAG.SEQUENCE, 'subjectPublicKeyInfo');

  const times = children(der, validity, 'validity');
  if (times.length !== 2) throw new CertificateError('validity must hold notBefore and notAfter');

  let extensionsWrapper: DerElement | undefined;
  let extensionsSequence: DerElement | undefined;
  const extensions: Extension[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.tag === contextTag(1, false) || f.tag === contextTag(2, false)) continue; // unique IDs
    if (f.tag !== contextTag(3, true)) {
      throw new CertificateError(`unexpected TBSCertificate field with tag 0x${f.tag.toString(16)}`);
    }
    if (i !== fields.length - 1) throw new CertificateError('extensions must be the last TBSCertificate field');
    extensionsWrapper = f;
    extensionsSequence = expectElement(der, f.contentStart, f.end, TAG.SEQUENCE, 'extensions');
    if (extensionsSequence.end !== f.end) throw new CertificateError('extensions [3] holds trailing bytes');
    for (const ext of children(der, extensionsSequence, 'Extension')) extensions.push(parseExtension(der, ext));
  }
  const seen = new Set<string>();
  for (const ext of extensions) {
    if (seen.has(ext.oid)) throw new CertificateError(`extension ${ext.oid} appears twice (RFC 5280 §4.2)`);
    seen.add(ext.oid);
    // Read once here, so that whether the certificate is a CA (isCaCertificate) is never in doubt.
    if (ext.oid === OID.BASIC_CONSTRAINTS) basicConstraintsCa(ext.value);
  }

  return {
    der,
    tbs,
    tbsFields: fields,
    serialNumber: content(der, serial),
    issuer: whole(der, issuer),
    subject: whole(der, subject),
    issuerIndex,
    notBefore: decodeTime(der, times[0]!),
    notAfter: decodeTime(der, times[1]!),
    spki: whole(der, spki),
    extensionsWrapper,
    extensionsSequence,
    extensions,
  };
}

function field(fields: readonly DerElement[], index: number, tag: number, name: string): DerElement {
  const f = fields[index];
  if (!f) throw new CertificateError(`TBSCertificate ends before ${name}`);
  if (f.tag !== tag)
    throw new CertificateError(
      `TBSCertificate ${name}: expected tag 0x${tag.toString(16)}, found 0x${f.tag.toString(16)}`,
    );
  return f;
}

function parseExtension(der: Bytes, ext: DerElement): Extension {
  if (ext.tag !== TAG.SEQUENCE) throw new CertificateError('Extension is not a SEQUENCE');
  const parts = children(der, ext, 'Extension');
  const oidEl = parts[0];
  if (!oidEl || oidEl.tag !== TAG.OID) throw new CertificateError('Extension does not start with an OID');
  const oid = decodeOid(content(der, oidEl));
  let critical = false;
  let next = 1;
  if (parts[1]?.tag === TAG.BOOLEAN) {
    const b = content(der, parts[1]);
    if (b.length !== 1 || (b[0] !== 0 && b[0] !== 0xff)) throw new CertificateError(`extension ${oid}: bad BOOLEAN`);
    critical = b[0] === 0xff;
    next = 2;
  }
  const valueEl = parts[next];
  if (!valueEl || valueEl.tag !== TAG.OCTET_STRING || parts.length !== next + 1) {
    throw new CertificateError(`extension ${oid}: extnValue must be a single OCTET STRING`);
  }
  return { oid, critical, value: content(der, valueEl), element: ext };
}

export const findExtension = (cert: CertificateView, oid: string): Extension | undefined =>
  cert.extensions.find((e) => e.oid === oid);

export const isPrecertificate = (cert: CertificateView): boolean =>
  findExtension(cert, OID.PRECERT_POISON) !== undefined;

/**
 * Whether the certificate is a CA: basicConstraints cA TRUE (RFC 5280 §4.2.1.9). Precondition:
 * `cert` came from parseCertificate, which refuses a basicConstraints that is not DER.
 */
export function isCaCertificate(cert: CertificateView): boolean {
  const ext = findExtension(cert, OID.BASIC_CONSTRAINTS);
  return ext !== undefined && basicConstraintsCa(ext.value);
}

/**
 * Whether the certificate is a Precertificate Signing Certificate (RFC 6962 §3.1): its
 * extendedKeyUsage holds 1.3.6.1.4.1.11129.2.4.4.
 */
export function isPrecertificateSigningCertificate(cert: CertificateView): boolean {
  const eku = findExtension(cert, OID.EXTENDED_KEY_USAGE);
  if (!eku) return false;
  return extKeyUsages(eku.value).includes(OID.PRECERT_SIGNING_EKU);
}

/**
 * RFC 5280 §4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OIDs).
 * Throws CertificateError when the value is anything else.
 */
function extKeyUsages(value: Bytes): string[] {
  try {
    const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, 'extKeyUsage');
    if (seq.end !== value.length) throw new DerError(`${value.length - seq.end} trailing bytes`);
    const purposes = children(value, seq, 'extKeyUsage');
    if (purposes.length === 0) throw new DerError('no key purpose');
    return purposes.map((el) => {
      if (el.tag !== TAG.OID) throw new DerError(`key purpose with tag 0x${el.tag.toString(16)} is not an OID`);
      return decodeOid(content(value, el));
    });
  } catch (e) {
    if (e instanceof DerError) throw new CertificateError(`extendedKeyUsage is not an ExtKeyUsageSyntax: ${e.message}`);
    throw e;
  }
}
