/** The audit page's chain check: a pasted or dropped PEM chain, leaf first, to the full report. */
import { certificatesFromPem, looksLikePem, PemError } from '../src/pem.js';
import type { Report } from '../src/report.js';
import type { Summary } from '../src/summary.js';
import { CertificateError } from '../src/x509/certificate.js';
import type { Checker } from './checker.js';
import { UserFacingError } from './user-facing-error.js';

export type PastedChainReport = { readonly report: Report; readonly summary: Summary };

/**
 * Checks the chain in `pem` with the worker's log lists and settings, to the full report. Throws
 * UserFacingError for text that is not a PEM chain or a certificate that does not parse.
 */
export async function checkPastedChain(checker: Checker, pem: string): Promise<PastedChainReport> {
  if (!looksLikePem(new TextEncoder().encode(pem))) {
    throw new UserFacingError('paste a PEM certificate chain: -----BEGIN CERTIFICATE----- …, leaf first');
  }
  const chain = certificatesFromPemText(pem);
  try {
    const checked = await checker.check({ chain });
    return { report: checked.report, summary: checked.summary };
  } catch (e) {
    if (e instanceof CertificateError) throw new UserFacingError(e.message);
    throw e;
  }
}

/** The CERTIFICATE blocks of pasted PEM text, leaf first; a damaged or missing block is the user's to fix. */
export function certificatesFromPemText(pem: string): Uint8Array[] {
  try {
    return certificatesFromPem(pem);
  } catch (e) {
    if (e instanceof PemError) throw new UserFacingError(e.message);
    throw e;
  }
}
