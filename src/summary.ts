/**
 * One verdict for a toolbar badge or a one-line title, from a report. This is where "green",
 * "red" and "grey" are decided, so no UI re-derives them.
 */
import type { PolicyName } from './policy/evaluate.js';
import type { Report } from './report.js';
import type { SctStatus } from './verify/sct-status.js';

/** ok: green; alert: red "!"; unknown: grey. */
export type Level = 'ok' | 'alert' | 'unknown';

export interface Summary {
  readonly level: Level;
  /** One line saying why. */
  readonly title: string;
  /** What a warning notification is about, when it should be raised: no SCTs, an invalid SCT, the policy failed. */
  readonly warning?: 'no-scts' | 'invalid-sct' | 'policy-failed';
}

/** What the browser itself concluded, when it says (Firefox's certificateTransparencyStatus). */
export interface BrowserCtVerdict {
  readonly browser: 'firefox' | 'chromium';
  /** The browser's own words, e.g. "policy_compliant", "not_applicable", "compliant". */
  readonly status: string;
  /** True when the browser judged the chain compliant. */
  readonly compliant: boolean;
  /** Whether the chain ends at a root the browser ships as public (Firefox's isBuiltInRoot), when it says. */
  readonly publicRoot?: boolean;
}

/**
 * SCTs that are red. Not here, so grey: SCTs nothing could be checked for — unknown-log,
 * unverifiable, missing-issuer (no issuer given) and wrong-issuer (a certificate given as the
 * issuer did not issue the leaf: the chain given is wrong, which says nothing about the SCT, the
 * log or the CA; red would cry misissuance where none is shown).
 */
const BROKEN: ReadonlySet<SctStatus> = new Set([
  'invalid-signature',
  'malformed',
  'unsupported-algorithm',
  'unsupported-version',
  'future-timestamp',
]);
const POLICY_NAMES: Record<PolicyName, string> = { chrome: 'Chrome', apple: 'Apple', firefox: 'Firefox' };

export function summarize(report: Report, policy: PolicyName, browser?: BrowserCtVerdict): Summary {
  const verdict = report.policies[policy];
  const name = POLICY_NAMES[policy];
  if (verdict.verdict === 'not-applicable')
    return { level: 'unknown', title: `CT does not apply: ${verdict.reasons[0] ?? 'not applicable'}` };

  const broken = report.scts.filter((s) => BROKEN.has(s.status));
  if (report.sctList === 'malformed') {
    return {
      level: 'alert',
      title: `The certificate's SCT list is malformed: ${report.sctListError}`,
      warning: 'invalid-sct',
    };
  }
  if (broken.length) {
    const first = broken[0]!;
    return {
      level: 'alert',
      title:
        `${broken.length} of ${report.scts.length} SCTs ${broken.length === 1 ? 'is' : 'are'} not valid ` +
        `(${first.status}${first.log ? `, ${first.log.description}` : ''})`,
      warning: 'invalid-sct',
    };
  }
  if (report.scts.length === 0) {
    if (browser?.compliant) {
      return {
        level: 'unknown',
        title:
          `${browser.browser === 'firefox' ? 'Firefox' : 'The browser'} found the SCTs compliant: ` +
          'they came by TLS or OCSP, which extensions cannot see',
      };
    }
    // No log list makes a certificate without SCTs acceptable, so this holds even when the
    // policy verdict itself is unknown (a stale list).
    return { level: 'alert', title: 'This certificate has no SCTs: it was not publicly logged', warning: 'no-scts' };
  }
  if (verdict.verdict === 'not-compliant') {
    return { level: 'alert', title: `${name} CT policy not met: ${verdict.reasons[0]}`, warning: 'policy-failed' };
  }
  if (verdict.verdict === 'unknown')
    return { level: 'unknown', title: `${name} CT verdict unknown: ${verdict.reasons[0]}` };
  const unchecked = report.scts.filter((s) => s.status !== 'valid');
  if (unchecked.length) {
    return {
      level: 'unknown',
      title:
        `${name} CT policy met, but ${unchecked.length} SCT${unchecked.length === 1 ? '' : 's'} ` +
        `could not be checked (${unchecked[0]!.status})`,
    };
  }
  return {
    level: 'ok',
    title:
      `Publicly logged: ${report.scts.length} valid SCT${report.scts.length === 1 ? '' : 's'}, ` +
      `${name} CT policy met`,
  };
}
