/**
 * The report, each certificate described for people (describe.ts: the outline and the names
 * from the strict DER walker, microseconds a certificate). The model and the builder are in
 * report-model.ts.
 */
import type { LogRegistry } from './loglist/registry.js';
import type { PolicyResults } from './policy/evaluate.js';
import { reportWith, type Report } from './report-model.js';
import type { SctVerification } from './verify/verify-scts.js';
import { describeCertificate } from './x509/describe.js';

export type { Report, SctReport } from './report-model.js';

export function buildReport(verification: SctVerification, policies: PolicyResults, registry: LogRegistry): Report {
  return reportWith(describeCertificate, verification, policies, registry);
}
