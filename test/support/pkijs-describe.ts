/**
 * A test oracle: the certificate summary as pkijs reads it (names, serial, validity, SANs, key,
 * extensions), which the project's own reader (src/x509/describe.ts, the strict DER walker) must
 * match on every fixture (test/unit/names.test.ts). Until 2026-12 this was the extension's
 * describer; it cost ~0.9 ms a certificate, ~3 ms of each Chromium automatic check.
 */
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256, toHex, type Bytes } from '../../src/bytes.js';
import { OID, isCaCertificate, parseCertificate } from '../../src/x509/certificate.js';
import { ATTRIBUTE_NAMES, escapeValue, formatIp } from '../../src/x509/names.js';
import { describeKey, extensionName, outlineCertificate, type CertificateSummary } from '../../src/x509/outline.js';

/**
 * Describes a certificate for people. Never throws: when pkijs cannot read what the verification
 * path could, the summary says so in place of the names (verdicts do not depend on it).
 */
export function describeWithPkijs(der: Bytes): CertificateSummary {
  try {
    return describe(der);
  } catch (e) {
    const unreadable = `(unreadable: ${(e as Error).message})`;
    return { ...outlineCertificate(der), subject: unreadable, issuer: unreadable, described: true };
  }
}

function describe(der: Bytes): CertificateSummary {
  const cert = pkijs.Certificate.fromBER(der as BufferSource);
  const extensions = cert.extensions ?? [];
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER());
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: toHex(cert.serialNumber.valueBlock.valueHexView, ':'),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256: toHex(sha256(der)),
    subjectAltNames: subjectAltNames(extensions),
    publicKey: describeKey(spki),
    isPrecertificate: extensions.some((e) => e.extnID === OID.PRECERT_POISON),
    // The verification path's reading, not pkijs's (which takes BER): one answer to "is it a CA".
    isCA: isCaCertificate(parseCertificate(der)),
    extensions: extensions.map((e) => ({ oid: e.extnID, name: extensionName(e.extnID), critical: e.critical })),
    described: true,
  };
}

/** RFC 4514 §2: most specific RDN first, "," between RDNs, special characters escaped. */
function formatName(name: pkijs.RelativeDistinguishedNames): string {
  const parts = name.typesAndValues.map((tv) => {
    const type = ATTRIBUTE_NAMES[tv.type] ?? tv.type;
    const raw = tv.value as asn1js.AsnType & { valueBlock: { value?: unknown } };
    const value =
      typeof raw.valueBlock?.value === 'string' ? raw.valueBlock.value : `#${toHex(new Uint8Array(raw.toBER()))}`;
    return `${type}=${escapeValue(value)}`;
  });
  return parts.reverse().join(',');
}

function subjectAltNames(extensions: readonly pkijs.Extension[]): string[] {
  const san = extensions.find((e) => e.extnID === '2.5.29.17')?.parsedValue as pkijs.AltName | undefined;
  if (!san) return [];
  return san.altNames.map((n) => {
    switch (n.type) {
      case 1:
        return `email:${String(n.value)}`;
      case 2:
        return `DNS:${String(n.value)}`;
      case 6:
        return `URI:${String(n.value)}`;
      case 7:
        return `IP:${formatIp((n.value as asn1js.OctetString).valueBlock.valueHexView)}`;
      default:
        return `other:${n.type}`;
    }
  });
}
