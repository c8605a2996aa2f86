/**
 * What people read about a certificate: the outline from the verification path's own parse
 * (outline.ts: serial, validity, key, extensions) with the names and SANs read from the DER by
 * the same strict walker (names.ts). Microseconds a certificate, no pkijs; the text is what pkijs
 * gives (test/support/pkijs-describe.ts, the oracle of test/unit/names.test.ts).
 */
import type { Bytes } from '../bytes.js';
import { parseCertificate } from './certificate.js';
import { certificateNames } from './names.js';
import { outlineCertificate, outlineView, type CertificateSummary } from './outline.js';

export { outlineCertificate, type CertificateSummary };

/**
 * Describes a certificate for people. Precondition: `der` parses with parseCertificate (the
 * verification read it first). Names that cannot be read are shown as unreadable, never thrown:
 * verdicts do not depend on them.
 */
export function describeCertificate(der: Bytes): CertificateSummary {
  const view = parseCertificate(der); // once, for the outline and the names
  const outline = outlineView(view);
  try {
    return { ...outline, ...certificateNames(view), described: true };
  } catch (e) {
    const unreadable = `(unreadable: ${(e as Error).message})`;
    return { ...outline, subject: unreadable, issuer: unreadable, described: true };
  }
}
