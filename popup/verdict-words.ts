/**
 * The extension's words for what the worker decided: verdicts, the log list's age, what an update
 * would change. The core's reasons are neutral text with a code (src/policy/types.ts); the remedy
 * ("update the log list in Options") is the extension's to word, keyed on the code. No DOM here.
 */
import { MAX_LOG_LIST_AGE_DAYS } from '../src/loglist/freshness.js';
import type { PolicyName } from '../src/policy/evaluate.js';
import type { PolicyResult, ReasonCode } from '../src/policy/types.js';
import type { Report } from '../src/report.js';
import { POLICY_LABELS } from './format.js';

/** A verdict or SCT status as words: "not-compliant" → "not compliant". */
export const verdictWord = (verdict: string): string => verdict.replace(/-/g, ' ');

/** "The log list is 95 days old (over 70)", or that it has no date (then its age cannot be told). */
export function logListAge(ageDays: number | null): string {
  if (ageDays === null) return 'The log list has no date';
  return `The log list is ${ageDays} day${ageDays === 1 ? '' : 's'} old (over ${MAX_LOG_LIST_AGE_DAYS})`;
}

const FRESHNESS: ReadonlySet<ReasonCode> = new Set(['log-list-stale', 'log-list-undated']);

/** Whether a reason is about the log list's age (the stale-list line says it once for all policies). */
export const isFreshnessReason = (code: ReasonCode): boolean => FRESHNESS.has(code);

const POLICY_ORDER: readonly PolicyName[] = ['chrome', 'apple', 'firefox'];

/** The policies whose verdict is unknown because of the list's age, in display order. */
function staleVerdicts(report: Report): PolicyName[] {
  return POLICY_ORDER.filter((name) => report.policies[name].details.some((d) => isFreshnessReason(d.code)));
}

/** "Chrome", "Chrome and Apple", "Chrome, Apple and Firefox". */
function listNames(names: readonly PolicyName[]): string {
  const labels = names.map((n) => POLICY_LABELS[n]);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/**
 * The one line on a stale list (precondition: report.logList.stale): which verdicts it leaves
 * unknown. A verdict judged only by a fresh extra list (private or test logs) does not depend on it.
 */
export function staleLine(report: Report): string {
  const affected = staleVerdicts(report);
  const age = logListAge(report.logList.ageDays);
  if (!affected.length) return `${age}; no verdict here depends on it.`;
  const names = listNames(affected);
  const verdicts = affected.length === 1 ? `the ${names} verdict is` : `the ${names} verdicts are`;
  return `${age}: ${verdicts} unknown until it is updated.`;
}

/**
 * What an `unknown` verdict would be, in a sentence (wouldBe: what the rules alone give). After a
 * stale list, a fresh one could change the logs' states, hence "likely"; with SCTs that could not
 * be checked, the verdict counts only the others.
 */
export function wouldBeSentence(name: PolicyName, result: PolicyResult): string | undefined {
  if (result.verdict !== 'unknown' || !result.wouldBe) return undefined;
  const would = verdictWord(result.wouldBe);
  const label = POLICY_LABELS[name];
  const first = result.details[0]?.code;
  if (first !== undefined && isFreshnessReason(first)) {
    return `After a log list update, ${label}'s verdict would likely be ${would} (if the logs' states are unchanged).`;
  }
  return `Counting only the SCTs that could be checked, ${label}'s verdict would be ${would}.`;
}
