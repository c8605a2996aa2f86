/**
 * One chain judged for the CLI: its SCTs verified and the policies evaluated with the run's log
 * lists, the report, and the exit code it earns: 0 when every SCT is valid and Chrome's policy is
 * `compliant` (and, for a live host, its chain is trusted and names it), else 1.
 */
import type { Bytes } from '../bytes.js';
import { SignatureVerifier } from '../crypto/verify.js';
import { reportWith, type Report } from '../report-model.js';
import type { SctVerification, DeliveredSct } from '../verify/verify-scts.js';
import { describeCertificate } from '../x509/describe.js';
import type { HostCheck } from './live-host.js';
import type { LogLists } from './log-lists.js';
import { nodeSubtle } from './node-subtle.js';

export interface ChainInput {
  /** DER certificates, leaf first. */
  readonly chain: readonly Bytes[];
  readonly delivered: readonly DeliveredSct[];
  /** Evaluation time, ms. */
  readonly at: number;
  /** '--issuer' when that option gave chain[1..], for the notes (VerifySctsInput.issuerGivenBy). */
  readonly issuerGivenBy?: string;
  /** How the chain was put together, for the report's notes (--fetch-issuer). */
  readonly notes?: readonly string[];
}

export interface Judged {
  readonly verification: SctVerification;
  readonly report: Report;
  readonly code: 0 | 1;
}

/** SCT signatures checked through node:crypto (node-subtle.ts), the CLI's faster path to OpenSSL. */
const verifier = new SignatureVerifier(nodeSubtle);

export async function judgeChain(input: ChainInput, lists: LogLists, host?: HostCheck): Promise<Judged> {
  const { verification, policies, registry } = await lists.decide({ ...input, verifier });
  const decided = reportWith(describeCertificate, verification, policies, registry);
  const report = input.notes?.length ? { ...decided, notes: [...decided.notes, ...input.notes] } : decided;
  const allValid = report.scts.length > 0 && report.scts.every((s) => s.status === 'valid');
  const compliant = report.sctList !== 'malformed' && report.policies.chrome.verdict === 'compliant';
  // A live host's chain counts only when it is trusted and names the host: anyone on the path can
  // present a properly logged certificate of their own.
  const hostOk = !host || (host.chainTrusted && host.nameMatches);
  return { verification, report, code: allValid && compliant && hostOk ? 0 : 1 };
}
