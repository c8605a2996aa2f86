/**
 * Runs the three CT policies over a chain verification, with what applies to all of them:
 * which certificates they cover, the 70-day log list freshness rule, and SCTs that could not be
 * checked.
 */
import { operatorAt, stateAt } from '../loglist/log-state.js';
import type { LogRegistry } from '../loglist/registry.js';
import type { SctVerification } from '../verify/verify-scts.js';
import { isCaCertificate } from '../x509/certificate.js';
import { evaluateApple } from './apple.js';
import { evaluateChrome } from './chrome.js';
import { DAY_MS, plural } from './counting.js';
import { evaluateFirefox } from './firefox.js';
import type { PolicyInput, PolicyResult, PolicySct } from './types.js';

export type PolicyName = 'chrome' | 'apple' | 'firefox';
export type PolicyResults = Record<PolicyName, PolicyResult>;

/**
 * Chrome stops enforcing CT when its log list is more than 70 days old
 * (ct_policy.html, "Log list freshness"); Firefox and Apple follow the same rule here. A verdict
 * from a stale list is `unknown`, never `not-compliant`.
 */
export const MAX_LOG_LIST_AGE_MS = 70 * DAY_MS;

/** ct_policy.html: CT is required of certificates issued from 2018-04-30 on (Chrome 68). */
const CHROME_REQUIRED_FROM = Date.UTC(2018, 3, 30);
/** Apple 103214: certificates issued after 2018-10-15. */
const APPLE_REQUIRED_AFTER = Date.UTC(2018, 9, 15);

const EVALUATORS: Record<PolicyName, (input: PolicyInput) => PolicyResult> = {
  chrome: evaluateChrome,
  apple: evaluateApple,
  firefox: evaluateFirefox,
};

export interface PolicyOptions {
  /**
   * False when the chain ends at a root that is not publicly trusted (a company CA, a local
   * development CA): CT policies do not apply to it. Undefined when unknown (the CLI).
   */
  readonly publiclyTrusted?: boolean;
}

export function evaluatePolicies(verification: SctVerification, registry: LogRegistry, options: PolicyOptions = {}): PolicyResults {
  const { leaf, at } = verification;
  const input: PolicyInput = {
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    at,
    scts: verification.scts.flatMap((r): PolicySct[] =>
      r.status === 'valid' && r.sct.kind === 'v1' && r.log
        ? [{ logId: r.log.logId, source: r.source, timestamp: r.sct.timestamp, log: r.log, state: stateAt(r.log, at), operator: operatorAt(r.log, r.sct.timestamp) }]
        : [],
    ),
  };
  const notApplicable =
    options.publiclyTrusted === false
      ? 'the chain ends at a root that is not publicly trusted (a private or local CA): CT policies do not apply'
      : notApplicableReason(verification);
  const caveats = uncheckedCaveats(verification);
  const result = {} as PolicyResults;
  for (const name of Object.keys(EVALUATORS) as PolicyName[]) {
    const issuedBefore = name === 'chrome' ? leaf.notBefore < CHROME_REQUIRED_FROM : name === 'apple' ? leaf.notBefore <= APPLE_REQUIRED_AFTER : false;
    if (notApplicable || issuedBefore) {
      result[name] = { verdict: 'not-applicable', reasons: [notApplicable ?? `issued before the ${name === 'chrome' ? '2018-04-30' : '2018-10-15'} start of the policy`] };
      continue;
    }
    const computed = EVALUATORS[name](input);
    const freshness = freshnessProblem(verification, registry, at, computed.verdict === 'compliant');
    if (freshness) {
      result[name] = { verdict: 'unknown', reasons: [freshness, ...computed.reasons], wouldBe: computed.verdict, summary: computed.summary };
    } else if (computed.verdict === 'not-compliant' && caveats.unchecked) {
      result[name] = { verdict: 'unknown', reasons: [caveats.unchecked, ...computed.reasons], wouldBe: computed.verdict };
    } else if (computed.verdict === 'not-compliant') {
      const extra = [neverCounted(input.scts), caveats.unknownLogs].filter((r): r is string => r !== undefined);
      result[name] = { ...computed, reasons: [...computed.reasons, ...extra] };
    } else result[name] = computed;
  }
  return result;
}

/** Valid SCTs from logs no policy counts (pending, rejected, or without a state), named for people. */
function neverCounted(scts: readonly PolicySct[]): string | undefined {
  const names = scts
    .filter((s) => s.state === undefined || s.state === 'pending' || s.state === 'rejected')
    .map((s) => `${s.log.description} (${s.state ?? (s.log.state ? `${s.log.state.name} since ${new Date(s.log.state.since).toISOString().slice(0, 10)}` : 'no state in the list')})`);
  return names.length ? `not counted, from logs the list does not show as trusted then: ${[...new Set(names)].join(', ')}` : undefined;
}

function notApplicableReason(verification: SctVerification): string | undefined {
  if (verification.leafIsPrecertificate) return 'a precertificate is never served to clients; CT policies apply to the final certificate';
  if (isCaCertificate(verification.leaf)) return 'CA certificates are not subject to CT policy';
  return undefined;
}

/**
 * Whether the lists a verdict relies on are fresh enough. A compliant verdict relies on what the
 * lists say of the logs behind the chain's SCTs; any other verdict also on the primary list, since
 * a fresh one might know more logs or other states. So a fresh supplementary list (private or
 * test logs) vouches for its own logs, never for a stale Google list.
 */
function freshnessProblem(verification: SctVerification, registry: LogRegistry, at: number, compliant: boolean): string | undefined {
  const relied = verification.scts.map((s) => s.log).filter((log) => log?.state !== undefined).map((log) => registry.currentAsOf(log!));
  if (!compliant || relied.length === 0) relied.push(registry.primaryTimestamp);
  if (relied.some((t) => t === undefined)) return 'the log list has no timestamp, so whether it is fresh enough cannot be told';
  const age = at - Math.min(...(relied as number[]));
  if (age > MAX_LOG_LIST_AGE_MS) {
    return `the log list is ${Math.floor(age / DAY_MS)} days old (over 70): log states may have changed (update the log list: \`ctlens loglist --update\`, or in the extension's options)`;
  }
  return undefined;
}

function uncheckedCaveats(verification: SctVerification): { unchecked?: string; unknownLogs?: string } {
  const count = (status: string) => verification.scts.filter((s) => s.status === status).length;
  const [missing, unverifiable, unknown] = [count('missing-issuer'), count('unverifiable'), count('unknown-log')];
  const unchecked = [
    missing ? `${plural(missing, 'SCT')} could not be checked without the issuer certificate` : '',
    unverifiable ? `${plural(unverifiable, 'SCT')} could not be checked: the browser does not expose all they sign` : '',
  ].filter(Boolean).join('; ');
  return {
    unchecked: unchecked || undefined,
    unknownLogs: unknown ? `${plural(unknown, 'SCT')} from logs not in the log list in use did not count` : undefined,
  };
}
