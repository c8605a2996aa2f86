/**
 * The verdicts for a chain (and SCTs delivered beside it): parse → verify → policy, without the
 * report (check.ts adds it, with the names described). The CLI calls this directly, as it picks
 * the log list a verdict comes from before it builds the report (cli/judge.ts).
 */
import type { Bytes } from './bytes.js';
import type { SignatureVerifier } from './crypto/verify.js';
import type { LogRegistry } from './loglist/registry.js';
import { evaluatePolicies, type PolicyResults } from './policy/evaluate.js';
import { verifyScts, type DeliveredSct, type SctVerification } from './verify/verify-scts.js';

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
  const policies = evaluatePolicies(verification, input.registry, { publiclyTrusted: input.publiclyTrusted });
  return { verification, policies };
}
