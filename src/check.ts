/**
 * The core's entry point: a chain (and SCTs delivered beside it) in, a full report out.
 * browser/CLI → chain → SCTs → verification → policy → report.
 */
import type { Bytes } from './bytes.js';
import type { LogRegistry } from './loglist/registry.js';
import { evaluatePolicies, type PolicyResults } from './policy/evaluate.js';
import { buildReport, type Report } from './report.js';
import { verifyScts, type SctVerification, type DeliveredSct } from './verify/verify-scts.js';
import type { SignatureVerifier } from './crypto/verify.js';

export interface CheckInput {
  readonly chain: readonly Bytes[];
  readonly delivered?: readonly DeliveredSct[];
  readonly registry: LogRegistry;
  /** Evaluation time (ms); default now. */
  readonly at?: number;
  readonly verifier?: SignatureVerifier;
  /** False for a chain to a private root (policies become not-applicable); see PolicyOptions. */
  readonly publiclyTrusted?: boolean;
  /** How chain[1..] was given (an option's name, e.g. `--issuer`), for the notes; see VerifySctsInput. */
  readonly issuerGivenBy?: string;
}

export interface Verdicts {
  readonly verification: SctVerification;
  readonly policies: PolicyResults;
}

/** Parse → verify → policy, without the human-readable description (the fast path). */
export async function decide(input: CheckInput): Promise<Verdicts> {
  const verification = await verifyScts({ ...input, at: input.at ?? Date.now() });
  return { verification, policies: evaluatePolicies(verification, input.registry, { publiclyTrusted: input.publiclyTrusted }) };
}

/** decide() plus the full report people and tools read. */
export async function check(input: CheckInput): Promise<Report> {
  const { verification, policies } = await decide(input);
  return buildReport(verification, policies, input.registry);
}
