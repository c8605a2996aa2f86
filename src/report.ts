/**
 * The report with pkijs's descriptions of the certificates (describe.ts): buildReport, and
 * describeReport for an outlined one. The model and the builder are in report-model.ts.
 */
import type { LogRegistry } from './loglist/registry.js';
import type { PolicyResults } from './policy/evaluate.js';
import { reportWith, type Report } from './report-model.js';
import type { SctVerification } from './verify/verify-scts.js';
import { describeCertificate, outlineCertificate } from './x509/describe.js';

export type { Report, SctReport } from './report-model.js';

export interface ReportOptions {
  /**
   * false: outline the certificates without pkijs (no names or SANs yet; `certificate.described`
   * is false) and complete them later with describeReport — the extension's fast path to a verdict.
   */
  readonly describe?: boolean;
}

export function buildReport(
  verification: SctVerification,
  policies: PolicyResults,
  registry: LogRegistry,
  options: ReportOptions = {},
): Report {
  return reportWith(
    options.describe === false ? outlineCertificate : describeCertificate,
    verification,
    policies,
    registry,
  );
}

/** Completes an outlined report's certificate names and SANs with pkijs (see ReportOptions). */
export function describeReport(report: Report, leafDer: Uint8Array, issuerDer?: Uint8Array): Report {
  if (report.certificate.described) return report;
  const issuer = issuerDer ? describeCertificate(issuerDer) : undefined;
  return {
    ...report,
    certificate: describeCertificate(leafDer),
    issuer: issuer ? { subject: issuer.subject, sha256: issuer.sha256 } : report.issuer,
  };
}
