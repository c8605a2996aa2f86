import type { LogInfo, LogStateName } from '../loglist/schema.js';
import type { SctSource } from '../sct/types.js';

export type Verdict = 'compliant' | 'not-compliant' | 'not-applicable' | 'unknown';

export interface PolicyResult {
  readonly verdict: Verdict;
  /** Why the verdict is not `compliant`; for `compliant`, empty. */
  readonly reasons: readonly string[];
  /** For `unknown` because of a stale list or unchecked SCTs: what the rules alone would say. */
  readonly wouldBe?: Verdict;
  /** One line on what counted, for people. */
  readonly summary?: string;
}

/** A valid SCT with what the policies need to know of its log. */
export interface PolicySct {
  readonly logId: string;
  readonly source: SctSource;
  readonly timestamp: number;
  readonly log: LogInfo;
  /** The log's state at evaluation time. */
  readonly state: LogStateName | undefined;
  /** The operator at the SCT's time. */
  readonly operator: string;
}

/** What a policy sees of the certificate and its SCTs. */
export interface PolicyInput {
  readonly notBefore: number;
  readonly notAfter: number;
  /** Valid SCTs only: a policy never counts an SCT whose signature did not verify. */
  readonly scts: readonly PolicySct[];
  /** Evaluation time, ms. */
  readonly at: number;
}
