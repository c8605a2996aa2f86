/**
 * Apple's CT policy (https://support.apple.com/en-us/103214, "Apple's Certificate Transparency
 * policy"), judged with the log states of the list in use (Apple's own list uses the same schema
 * and can be given with --log-list).
 */
import { DAY_MS } from '../time.js';
import { days, fromRfc6962Log, isApprovedNow, onePerLog, plural, retiredBefore } from './counting.js';
import { reason, result } from './reasons.js';
import type { PolicyInput, PolicyResult, PolicySct, Reason } from './types.js';

/** Apple 103214: lifetime in days of 86,400 s, notBefore to notAfter inclusive (+1 s). */
const appleLifetimeDays = (notBefore: number, notAfter: number): number => (notAfter - notBefore + 1000) / DAY_MS;

/** Apple 103214: embedded SCTs needed, and the most counted per operator, by lifetime. */
function embeddedRule(lifetimeDays: number): { needed: number; perOperator: number } | undefined {
  if (lifetimeDays <= 180) return { needed: 2, perOperator: 1 };
  if (lifetimeDays <= 398) return { needed: 3, perOperator: 2 };
  return undefined;
}

/** Apple HT211025: certificates issued from 2020-09-01 on with a lifetime over 398 days are not trusted. */
const MAX_LIFETIME_FROM = Date.UTC(2020, 8, 1);

export function evaluateApple(input: PolicyInput): PolicyResult {
  const lifetime = appleLifetimeDays(input.notBefore, input.notAfter);
  const lifetimeText = `lifetime of ${days(lifetime * DAY_MS)} days`;
  if (lifetime > 398 && input.notBefore >= MAX_LIFETIME_FROM) {
    const limit = 'the 398 days Apple trusts (certificates issued from 2020-09-01)';
    const text = `${lifetimeText} exceeds ${limit}, whatever its SCTs`;
    return result('not-compliant', [reason('lifetime-too-long', text)]);
  }
  // Approved now, or approved in the past: a Retired log's SCT from before its retirement.
  const approvedEver = (s: PolicySct): boolean => isApprovedNow(s) || retiredBefore(s, s.timestamp);
  const counted = onePerLog(input.scts.filter(approvedEver));
  const problems: Reason[] = [];
  if (counted.length < 2)
    problems.push(
      reason('too-few-logs', `${plural(counted.length, 'SCT')} from logs approved now or in the past, 2 needed`),
    );
  if (!fromRfc6962Log(counted)) problems.push(reason('no-rfc6962-log', 'none is from an RFC 6962 log'));

  // Option 1: 2 SCTs from currently approved logs, at least one delivered by TLS or OCSP.
  const now = onePerLog(input.scts.filter(isApprovedNow));
  const deliveredOk = now.length >= 2 && now.some((s) => s.source !== 'embedded');
  // Option 2: ≥1 embedded SCT from a currently approved log, plus embedded SCTs by lifetime.
  const rule = embeddedRule(lifetime);
  const embedded = counted.filter((s) => s.source === 'embedded');
  const embeddedCount = rule ? cappedPerOperator(embedded, rule.perOperator) : 0;
  const embeddedOk = rule !== undefined && embedded.some(isApprovedNow) && embeddedCount >= rule.needed;

  if (!deliveredOk && !embeddedOk) {
    if (!rule) problems.push(reason('lifetime-too-long', `${lifetimeText} exceeds the 398 days the policy allows`));
    else {
      if (!embedded.some(isApprovedNow))
        problems.push(reason('no-current-log', 'no embedded SCT from a currently approved log'));
      if (embeddedCount < rule.needed) {
        const text =
          `${plural(embeddedCount, 'embedded SCT')} counted (at most ${rule.perOperator} per operator), ` +
          `${rule.needed} needed for a ${lifetimeText}`;
        problems.push(reason('too-few-logs', text));
      }
    }
    if (!now.some((s) => s.source !== 'embedded')) {
      problems.push(reason('no-delivered-sct', 'no SCT delivered by TLS or OCSP from a currently approved log'));
    } else if (now.length < 2)
      problems.push(reason('too-few-logs', `${plural(now.length, 'SCT')} from currently approved logs, 2 needed`));
  }
  if (problems.length) return result('not-compliant', problems);
  return result('compliant', [], { summary: `${plural(counted.length, 'SCT')} from approved logs` });
}

function cappedPerOperator(scts: readonly PolicySct[], cap: number): number {
  const perOperator = new Map<string, number>();
  for (const s of scts) perOperator.set(s.operator, Math.min(cap, (perOperator.get(s.operator) ?? 0) + 1));
  let total = 0;
  for (const n of perOperator.values()) total += n;
  return total;
}
