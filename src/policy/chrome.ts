/**
 * Chrome's CT policy (https://googlechrome.github.io/CertificateTransparency/ct_policy.html),
 * as enforced at the evaluation time.
 */
import { DAY_MS } from '../time.js';
import { days, fromRfc6962Log, isApprovedNow, onePerLog, operatorCount, plural, retiredBefore } from './counting.js';
import { prefixed, reason, result } from './reasons.js';
import type { PolicyInput, PolicyResult, PolicySct, Reason } from './types.js';

/** ct_policy.html, "Requirements": until 2026-04-15, ≥1 SCT from an RFC 6962 (not tiled) log. */
const CHROME_RFC6962_RULE_ENDS = Date.UTC(2026, 3, 15);

/** ct_policy.html: lifetime ≤ 180 days needs 2 logs, longer needs 3 (notAfter − notBefore). */
const chromeLogsNeeded = (notBefore: number, notAfter: number): number =>
  notAfter - notBefore <= 180 * DAY_MS ? 2 : 3;

export function evaluateChrome(input: PolicyInput): PolicyResult {
  const embedded = input.scts.filter((s) => s.source === 'embedded');
  const tls = input.scts.filter((s) => s.source === 'tls-extension');
  const ocspCount = input.scts.filter((s) => s.source === 'ocsp').length;
  if (embedded.length === 0 && tls.length === 0) {
    const reasons = [reason('no-scts', 'no valid SCTs embedded in the certificate or delivered in the TLS extension')];
    if (ocspCount) {
      reasons.push(
        reason(
          'ocsp-not-counted',
          `${plural(ocspCount, 'SCT')} delivered in OCSP not counted: ` +
            'Chrome no longer counts OCSP SCTs (since Chrome 148)',
        ),
      );
    }
    return result('not-compliant', reasons);
  }
  const embeddedPath = embedded.length ? checkEmbedded(input, embedded) : undefined;
  const tlsPath = tls.length ? checkTls(input, tls) : undefined;
  for (const path of [embeddedPath, tlsPath]) {
    if (path && path.problems.length === 0) return result('compliant', [], { summary: path.summary });
  }
  const reasons = [
    ...(embeddedPath?.problems.map((p) => prefixed('embedded SCTs: ', p)) ?? []),
    ...(tlsPath?.problems.map((p) => prefixed('TLS-extension SCTs: ', p)) ?? []),
  ];
  if (ocspCount) {
    reasons.push(
      reason(
        'ocsp-not-counted',
        `${plural(ocspCount, 'OCSP SCT')} not counted: Chrome no longer counts OCSP SCTs (since Chrome 148)`,
      ),
    );
  }
  return result('not-compliant', reasons);
}

interface PathCheck {
  readonly problems: Reason[];
  readonly summary: string;
}

/**
 * ct_policy.html, embedded SCTs: ≥1 from a log Qualified, Usable or ReadOnly at check time; SCTs
 * from ≥N distinct Qualified/Usable/ReadOnly/Retired logs, a Retired log counting only when the
 * SCT — and the earliest embedded SCT, which approximates issuance — predates its retirement;
 * ≥2 distinct operators. Pending and rejected logs never count.
 */
function checkEmbedded(input: PolicyInput, embedded: readonly PolicySct[]): PathCheck {
  const earliest = Math.min(...embedded.map((s) => s.timestamp));
  const counted = onePerLog(
    embedded.filter((s) => isApprovedNow(s) || (retiredBefore(s, s.timestamp) && retiredBefore(s, earliest))),
  );
  const needed = chromeLogsNeeded(input.notBefore, input.notAfter);
  const problems: Reason[] = [];
  if (!counted.some(isApprovedNow))
    problems.push(reason('no-current-log', 'none is from a log that is Qualified, Usable or ReadOnly now'));
  if (counted.length < needed) {
    const lifetime = days(input.notAfter - input.notBefore);
    problems.push(
      reason(
        'too-few-logs',
        `${plural(counted.length, 'counted log')}, ${needed} needed for a lifetime of ${lifetime} days`,
      ),
    );
  }
  const operators = operatorCount(counted);
  if (operators < 2) problems.push(reason('too-few-operators', `${plural(operators, 'log operator')}, 2 needed`));
  checkRfc6962(input, counted, problems);
  const summary =
    `${plural(counted.length, 'embedded SCT')} from ${plural(counted.length, 'log')} ` +
    `of ${plural(operators, 'operator')}`;
  return { problems, summary };
}

/** ct_policy.html, SCTs delivered via TLS: ≥2 from Qualified/Usable/ReadOnly logs of ≥2 operators. */
function checkTls(input: PolicyInput, tls: readonly PolicySct[]): PathCheck {
  const counted = onePerLog(tls.filter(isApprovedNow));
  const operators = operatorCount(counted);
  const problems: Reason[] = [];
  if (counted.length < 2) {
    problems.push(
      reason('too-few-logs', `${plural(counted.length, 'SCT')} from Qualified, Usable or ReadOnly logs, 2 needed`),
    );
  }
  if (operators < 2) problems.push(reason('too-few-operators', `${plural(operators, 'log operator')}, 2 needed`));
  checkRfc6962(input, counted, problems);
  return { problems, summary: `${plural(counted.length, 'TLS-extension SCT')} from ${plural(operators, 'operator')}` };
}

function checkRfc6962(input: PolicyInput, counted: readonly PolicySct[], problems: Reason[]): void {
  if (input.at < CHROME_RFC6962_RULE_ENDS && !fromRfc6962Log(counted)) {
    problems.push(reason('no-rfc6962-log', 'none is from an RFC 6962 log (required until 2026-04-15)'));
  }
}
