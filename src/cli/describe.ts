/**
 * The CLI's certificate summaries: the report's outline (src/x509/describe.ts, from the
 * verification path's own parse) with the names and SANs read from the DER (src/x509/names.ts),
 * not by pkijs, so that the CLI build never loads pkijs for `verify` (about half its code).
 * Never throws: names that cannot be read are shown as unreadable, as describeCertificate does.
 * Precondition: `der` parses with parseCertificate (the verification read it first).
 */
import { parseCertificate } from '../x509/certificate.js';
import { outlineCertificate, type CertificateSummary } from '../x509/outline.js';
import { certificateNames } from '../x509/names.js';

export function summarizeCertificate(der: Uint8Array): CertificateSummary {
  const outline = outlineCertificate(der);
  try {
    return { ...outline, ...certificateNames(parseCertificate(der)), described: true };
  } catch (e) {
    const unreadable = `(unreadable: ${(e as Error).message})`;
    return { ...outline, subject: unreadable, issuer: unreadable, described: true };
  }
}
