/**
 * The policies' verdicts, first in a report: each with what it rests on and why, then, when the
 * log list is stale, one line saying which verdicts that leaves unknown, with its action. A stale
 * verdict says what an update would likely give instead of repeating the list's age.
 */
import type { PolicyName } from '../src/policy/evaluate.js';
import type { PolicyResult } from '../src/policy/types.js';
import type { Report } from '../src/report.js';
import { h } from './dom.js';
import { POLICY_LABELS, verdictSign } from './format.js';
import { isFreshnessReason, staleLine, verdictWord, wouldBeSentence } from './verdict-words.js';

const POLICY_ORDER: readonly PolicyName[] = ['chrome', 'apple', 'firefox'];

/** A verdict or status as words, with a sign; its colour comes from data-tone in the style sheet. */
export function verdictTag(verdict: string): HTMLElement {
  const sign = h('span', { 'aria-hidden': 'true' }, verdictSign(verdict));
  return h('span', { class: 'tag', 'data-tone': verdict }, sign, ' ', verdictWord(verdict));
}

/**
 * `openOptions` opens the page where the log list is updated; without it (no way to open it) the
 * line names the place instead.
 */
export function policiesSection(report: Report, openOptions?: () => void, after?: HTMLElement | null): HTMLElement {
  const stale = report.logList.stale;
  return h(
    'section',
    { class: 'policies', 'aria-labelledby': 'policies-h' },
    h('h2', { id: 'policies-h' }, 'CT policies'),
    h(
      'ul',
      { class: 'policy-list' },
      POLICY_ORDER.map((name) => policyItem(name, report.policies[name], stale)),
    ),
    stale ? staleNotice(report, openOptions) : null,
    after,
  );
}

function policyItem(name: PolicyName, result: PolicyResult, stale: boolean): HTMLElement {
  // The stale-list line says the list's age once; each verdict says what an update would change.
  const shown = result.details.filter((d) => !(stale && isFreshnessReason(d.code))).map((d) => d.text);
  const [first, ...more] = shown;
  const wouldBe = wouldBeSentence(name, result);
  return h(
    'li',
    { class: 'policy', 'data-policy': name, 'data-verdict': result.verdict },
    h('div', { class: 'policy-head' }, h('h3', {}, POLICY_LABELS[name]), verdictTag(result.verdict)),
    wouldBe ? h('p', { class: 'would-be', 'data-would-be': result.wouldBe }, wouldBe) : null,
    result.summary ? h('p', { class: 'policy-summary' }, result.summary) : null,
    first !== undefined ? h('p', { class: 'reason' }, first) : null,
    more.length
      ? h(
          'details',
          { class: 'more-reasons' },
          h('summary', {}, `${more.length} more reason${more.length === 1 ? '' : 's'}`),
          h(
            'ul',
            {},
            more.map((r) => h('li', {}, r)),
          ),
        )
      : null,
  );
}

function staleNotice(report: Report, openOptions?: () => void): HTMLElement {
  let action: HTMLElement;
  if (openOptions) {
    const attrs = { type: 'button', id: 'stale-options', class: 'small' };
    const button = h('button', attrs, 'Update the log list in Options');
    button.addEventListener('click', openOptions);
    action = button;
  } else action = h('span', {}, "Update it in the extension's Options.");
  const line = h('span', {}, staleLine(report));
  return h('p', { class: 'notice stale-line', id: 'stale-notice', role: 'note' }, line, ' ', action);
}
