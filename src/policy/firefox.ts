/**
 * Firefox's CT policy: Mozilla's CTPolicyEnforcer (security/ct/CTPolicyEnforcer.cpp) and
 * https://wiki.mozilla.org/SecurityEngineering/Certificate_Transparency.
 */
import { DAY_MS } from '../time.js';
import { days, isApprovedNow, onePerLog, operatorCount, plural, retiredBefore } from './counting.js';
import { prefixed, reason, result } from './reasons.js';
import type { PolicyInput, PolicyResult, PolicySct, Reason } from './types.js';

export function evaluateFirefox(input: PolicyInput): PolicyResult {
  const embedded = input.scts.filter((s) => s.source === 'embedded');
  const delivered = input.scts.filter((s) => s.source !== 'embedded');
  if (embedded.length === 0 && delivered.length === 0)
    return result('not-compliant', [reason('no-scts', 'no valid SCTs')]);

  // Embedded: 2 SCTs (lifetime ≤ 180 days) or 3 from distinct logs, Retired logs counting only
  // before their retirement, ≥1 from a Qualified/Usable/ReadOnly log, ≥2 operators.
  const embeddedProblems: Reason[] = [];
  if (embedded.length) {
    const counted = onePerLog(embedded.filter((s) => isApprovedNow(s) || retiredBefore(s, s.timestamp)));
    const lifetime = input.notAfter - input.notBefore;
    const needed = lifetime <= 180 * DAY_MS ? 2 : 3;
    if (counted.length < needed) {
      embeddedProblems.push(
        reason(
          'too-few-logs',
          `${plural(counted.length, 'counted log')}, ${needed} needed for a lifetime of ${days(lifetime)} days`,
        ),
      );
    }
    if (!counted.some(isApprovedNow))
      embeddedProblems.push(reason('no-current-log', 'none is from a log that is Qualified, Usable or ReadOnly now'));
    const operators = operatorCount(counted);
    if (operators < 2)
      embeddedProblems.push(reason('too-few-operators', `${plural(operators, 'log operator')}, 2 needed`));
    if (!embeddedProblems.length) return compliant(counted, 'embedded');
  }
  // TLS extension or OCSP: 2 SCTs from distinct Qualified/Usable/ReadOnly logs.
  const deliveredProblems: Reason[] = [];
  if (delivered.length) {
    const counted = onePerLog(delivered.filter(isApprovedNow));
    if (counted.length >= 2) return compliant(counted, 'TLS/OCSP');
    deliveredProblems.push(
      reason(
        'too-few-logs',
        `${plural(counted.length, 'SCT')} from distinct Qualified, Usable or ReadOnly logs, 2 needed`,
      ),
    );
  }
  return result('not-compliant', [
    ...embeddedProblems.map((p) => prefixed('embedded SCTs: ', p)),
    ...deliveredProblems.map((p) => prefixed('TLS/OCSP SCTs: ', p)),
  ]);
}

const compliant = (counted: readonly PolicySct[], kind: string): PolicyResult =>
  result('compliant', [], { summary: `${plural(counted.length, `${kind} SCT`)} from distinct logs` });
