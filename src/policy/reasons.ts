/** Building policy results from coded reasons (types.ts), so `reasons` and `details` never disagree. */
import type { PolicyResult, Reason, ReasonCode, Verdict } from './types.js';

export const reason = (code: ReasonCode, text: string): Reason => ({ code, text });

/** The same reason with its text prefixed (e.g. "embedded SCTs: "). */
export const prefixed = (prefix: string, r: Reason): Reason => ({ code: r.code, text: `${prefix}${r.text}` });

type Extra = Pick<PolicyResult, 'wouldBe' | 'summary'>;

/** A result whose `reasons` are the texts of `details`. */
export function result(verdict: Verdict, details: readonly Reason[], extra: Extra = {}): PolicyResult {
  return {
    verdict,
    reasons: details.map((d) => d.text),
    details,
    ...(extra.wouldBe ? { wouldBe: extra.wouldBe } : {}),
    ...(extra.summary ? { summary: extra.summary } : {}),
  };
}
