/**
 * Runs the three CT policies over a chain verification, with what applies to all of them:
 * which certificates they cover, the 70-day log list freshness rule, SCTs that could not be
 * checked, and SCTs from Google's mimic logs, which never count (src/loglist/mimics.ts).
 */
import { operatorAt, stateAt } from '../loglist/log-state.js';
import { logListFreshness, MAX_LOG_LIST_AGE_DAYS } from '../loglist/freshness.js';
import type { LogRegistry } from '../loglist/registry.js';
import type { SctVerification } from '../verify/verify-scts.js';
import { isCaCertificate } from '../x509/certificate.js';
import { evaluateApple } from './apple.js';
import { evaluateChrome } from './chrome.js';
import { plural } from './counting.js';
import { evaluateFirefox } from './firefox.js';
import { reason, result } from './reasons.js';
import type { PolicyInput, PolicyResult, PolicySct, Reason } from './types.js';

export type PolicyName = 'chrome' | 'apple' | 'firefox';
export type PolicyResults = Record<PolicyName, PolicyResult>;

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

export function evaluatePolicies(
  verification: SctVerification,
  registry: LogRegistry,
  options: PolicyOptions = {},
): PolicyResults {
  const { leaf, at } = verification;
  const valid = verification.scts.flatMap((r): PolicySct[] =>
    r.status === 'valid' && r.sct.kind === 'v1' && r.log
      ? [
          {
            logId: r.log.logId,
            source: r.source,
            timestamp: r.sct.timestamp,
            log: r.log,
            state: stateAt(r.log, at),
            operator: operatorAt(r.log, r.sct.timestamp),
          },
        ]
      : [],
  );
  // A mimic log's private key is public: its SCT's valid signature proves nothing, so no rule sees it.
  const scts = valid.filter((s) => !s.log.mimic);
  const input: PolicyInput = { notBefore: leaf.notBefore, notAfter: leaf.notAfter, at, scts };
  const mimics = mimicNotCounted(valid.filter((s) => s.log.mimic));
  const notApplicable =
    options.publiclyTrusted === false
      ? reason(
          'private-root',
          'the chain ends at a root that is not publicly trusted (a private or local CA): CT policies do not apply',
        )
      : notApplicableReason(verification);
  const caveats = uncheckedCaveats(verification);
  const results = {} as PolicyResults;
  for (const name of Object.keys(EVALUATORS) as PolicyName[]) {
    const before =
      name === 'chrome'
        ? leaf.notBefore < CHROME_REQUIRED_FROM
        : name === 'apple'
          ? leaf.notBefore <= APPLE_REQUIRED_AFTER
          : false;
    if (notApplicable || before) {
      const start = name === 'chrome' ? '2018-04-30' : '2018-10-15';
      results[name] = result('not-applicable', [
        notApplicable ?? reason('issued-before-policy', `issued before the ${start} start of the policy`),
      ]);
      continue;
    }
    const computed = EVALUATORS[name](input);
    const freshness = freshnessProblem(verification, registry, at, computed.verdict === 'compliant');
    const details = mimics ? [...computed.details, mimics] : computed.details;
    if (freshness) {
      const extra = { wouldBe: computed.verdict, summary: computed.summary };
      results[name] = result('unknown', [freshness, ...details], extra);
    } else if (computed.verdict === 'not-compliant' && caveats.unchecked) {
      results[name] = result('unknown', [caveats.unchecked, ...details], { wouldBe: computed.verdict });
    } else if (computed.verdict === 'not-compliant') {
      const extra = [neverCounted(input.scts), caveats.unknownLogs].filter((r): r is Reason => r !== undefined);
      results[name] = result('not-compliant', [...details, ...extra], { summary: computed.summary });
    } else if (mimics) {
      // compliant without them: `reasons` stay empty (types.ts), the summary says what did not count.
      const summary = [computed.summary, mimics.text].filter(Boolean).join('; ');
      results[name] = result(computed.verdict, [], { summary });
    } else results[name] = computed;
  }
  return results;
}

/** Valid SCTs from logs no policy counts (pending, rejected, or without a state), named for people. */
function neverCounted(scts: readonly PolicySct[]): Reason | undefined {
  const names = scts
    .filter((s) => s.state === undefined || s.state === 'pending' || s.state === 'rejected')
    .map(
      (s) =>
        `${s.log.description} (` +
        (s.state ??
          (s.log.state
            ? `${s.log.state.name} since ${new Date(s.log.state.since).toISOString().slice(0, 10)}`
            : 'no state in the list')) +
        ')',
    );
  if (!names.length) return undefined;
  return reason(
    'logs-not-counted',
    `not counted, from logs the list does not show as trusted then: ${[...new Set(names)].join(', ')}`,
  );
}

/** Valid SCTs from mimic logs (src/loglist/mimics.ts), named for people; never counted by any policy. */
function mimicNotCounted(scts: readonly PolicySct[]): Reason | undefined {
  if (!scts.length) return undefined;
  const names = [...new Set(scts.map((s) => `${s.log.description} (log id ${s.logId})`))];
  const text =
    `${plural(scts.length, 'SCT')} not counted, from Google's mimic logs, whose private keys are public ` +
    `(anyone can sign such an SCT, so it proves nothing): ${names.join(', ')}`;
  return reason('mimic-log', text);
}

function notApplicableReason(verification: SctVerification): Reason | undefined {
  if (verification.leafIsPrecertificate) {
    return reason(
      'precertificate',
      'a precertificate is never served to clients; CT policies apply to the final certificate',
    );
  }
  if (isCaCertificate(verification.leaf))
    return reason('ca-certificate', 'CA certificates are not subject to CT policy');
  return undefined;
}

/**
 * Whether the lists a verdict relies on are fresh enough (src/loglist/freshness.ts). A compliant
 * verdict relies on what the lists say of the logs behind the chain's SCTs; any other verdict also
 * on the primary list, since a fresh one might know more logs or other states. So a fresh
 * supplementary list (private or test logs) vouches for its own logs, never for a stale Google list.
 */
function freshnessProblem(
  verification: SctVerification,
  registry: LogRegistry,
  at: number,
  compliant: boolean,
): Reason | undefined {
  const logs = verification.scts.flatMap((s) => (s.log?.state !== undefined && !s.log.mimic ? [s.log] : []));
  const fresh = logListFreshness(registry, at, { logs, primary: !compliant });
  if (fresh.code === 'log-list-undated') {
    return reason(fresh.code, 'the log list has no timestamp, so whether it is fresh enough cannot be told');
  }
  if (fresh.code === 'log-list-stale') {
    return reason(
      fresh.code,
      `the log list is ${fresh.ageDays} days old (over ${MAX_LOG_LIST_AGE_DAYS}): log states may have changed`,
    );
  }
  return undefined;
}

function uncheckedCaveats(verification: SctVerification): { unchecked?: Reason; unknownLogs?: Reason } {
  const count = (status: string) => verification.scts.filter((s) => s.status === status).length;
  const [missing, unverifiable, unknown] = [count('missing-issuer'), count('unverifiable'), count('unknown-log')];
  const wrongIssuer = count('wrong-issuer');
  const unchecked = [
    missing ? `${plural(missing, 'SCT')} could not be checked without the issuer certificate` : '',
    wrongIssuer
      ? `${plural(wrongIssuer, 'SCT')} could not be checked: the certificate given as issuer did not issue this one`
      : '',
    unverifiable
      ? `${plural(unverifiable, 'SCT')} could not be checked: the browser does not expose all they sign`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    unchecked: unchecked ? reason('unchecked-scts', unchecked) : undefined,
    unknownLogs: unknown
      ? reason('unknown-logs', `${plural(unknown, 'SCT')} from logs not in the log list in use did not count`)
      : undefined,
  };
}
