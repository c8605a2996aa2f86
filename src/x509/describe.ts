/**
 * What people read about a certificate: the outline from the verification path's own parse
 * (outline.ts: serial, validity, key, extensions) with the names and SANs read from the DER by
 * the same strict walker (names.ts). Microseconds a certificate, no pkijs; the text is what pkijs
 * gives (test/support/pkijs-describe.ts, the oracle of test/unit/names.test.ts).
 */
import type { Bytes } from '../bytes.js';
import { parseCertificate } from './certificate.js';
import { certificateNames } from './names.js';
import { outlineCertificate, type CertificateSummary } from './outline.js';

export { outlineCertificate, type CertificateSummary };

/**
 * Describes a certificate for people. Precondition: `der` parses with parseCertificate (the
 * verification read it first). Names that cannot be read are shown as unreadable, never thrown:
 * verdicts do not depend on them.
 */
export function describeCertificate(der: Bytes): CertificateSummary {
  const outline = outlineCertificate(der);
  try {
    return { ...outline, ...certificateNames(parseCertificate(der)), described: true };
  } catch (e) {
    const unreadable = `(unreadable: ${(e as Error).message})`;
    return { ...outline, subject: unreadable, issuer: unreadable, described: true };
  }
}
