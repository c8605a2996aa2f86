/** The audit page's chain check: a pasted or dropped PEM chain, leaf first, to the full report. */
import { decodePem, looksLikePem, PemError } from '../src/pem.js';
import type { Report } from '../src/report.js';
import type { Summary } from '../src/summary.js';
import { CertificateError } from '../src/x509/certificate.js';
import type { Checker } from './checker.js';

export type PastedChainReport = { readonly report: Report; readonly summary: Summary };

/** Checks the chain in `pem` with the worker's log lists and settings; the report is described at once. */
export async function checkPastedChain(checker: Checker, pem: string): Promise<PastedChainReport | { error: string }> {
  try {
    if (!looksLikePem(new TextEncoder().encode(pem))) {
      return { error: 'paste a PEM certificate chain: -----BEGIN CERTIFICATE----- …, leaf first' };
    }
    const chain = decodePem(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
    if (chain.length === 0) return { error: 'no CERTIFICATE block found' };
    const checked = await checker.check({ chain });
    return { report: await checker.describe(checked, chain), summary: checked.summary };
  } catch (e) {
    if (e instanceof PemError || e instanceof CertificateError) return { error: e.message };
    throw e;
  }
}
