import type { LogInfo, LogStateName } from '../loglist/schema.js';
import type { SctSource } from '../sct/types.js';

export type Verdict = 'compliant' | 'not-compliant' | 'not-applicable' | 'unknown';

/**
 * What a reason is about, stable across wordings: front ends key their own remedies on it (the CLI
 * says `ctlens loglist --update` for log-list-stale, the extension offers its Options page).
 */
export type ReasonCode =
  // unknown: the log list (src/loglist/freshness.ts), or SCTs that could not be checked
  | 'log-list-stale'
  | 'log-list-undated'
  | 'unchecked-scts'
  // not-applicable
  | 'private-root'
  | 'precertificate'
  | 'ca-certificate'
  | 'issued-before-policy'
  // not-compliant: what the rules lacked
  | 'no-scts'
  | 'too-few-logs'
  | 'too-few-operators'
  | 'no-current-log'
  | 'no-rfc6962-log'
  | 'no-delivered-sct'
  | 'lifetime-too-long'
  // beside a not-compliant verdict: valid SCTs that did not count
  | 'ocsp-not-counted'
  | 'logs-not-counted'
  | 'unknown-logs'
  // beside any verdict but not-applicable (in the summary when compliant): SCTs from mimic logs
  | 'mimic-log';

/** One reason: its code and neutral English text, with no front end's remedy in it. */
export interface Reason {
  readonly code: ReasonCode;
  readonly text: string;
}

export interface PolicyResult {
  readonly verdict: Verdict;
  /** Why the verdict is not `compliant`, as text; for `compliant`, empty. Kept as strings (the JSON contract). */
  readonly reasons: readonly string[];
  /** The same reasons in the same order, each with its code: `details[i].text === reasons[i]`. */
  readonly details: readonly Reason[];
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
