/**
 * The popup's "Inclusion in the logs" section: what checking reveals and to whom (before anything
 * is sent), the button, each SCT's outcome, and a split view as the loudest alert.
 */
import type { TabState } from '../background/messages.js';
import { h } from './dom.js';

export interface InclusionView {
  readonly busy: boolean;
  readonly error?: string;
  readonly onCheck: () => void;
}

/** The log operators an inclusion check would contact, named for the disclosure. */
export function logsContacted(state: TabState): string[] {
  const names = (state.report?.scts ?? []).filter((s) => s.status === 'valid' && s.log).map((s) => `${s.log!.description} (${s.log!.operator})`);
  return [...new Set(names)];
}

/** The log URLs' origins, for the host permissions Chromium needs before contacting them. */
export function logOrigins(state: TabState): string[] {
  const origins = (state.report?.scts ?? []).flatMap((s) => {
    try {
      return s.log?.url ? [`${new URL(s.log.url).origin}/*`] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

export function inclusionSection(state: TabState, view: InclusionView): HTMLElement | null {
  if (state.phase !== 'done' || !state.report) return null;
  const logs = logsContacted(state);
  const inclusion = state.inclusion;
  const button = h('button', { type: 'button', id: 'check-inclusion', class: 'secondary', 'aria-describedby': 'inclusion-disclosure' }, view.busy ? 'Checking inclusion…' : inclusion ? 'Check inclusion again' : 'Check inclusion');
  button.disabled = view.busy || logs.length === 0;
  button.addEventListener('click', view.onCheck);
  return h(
    'section',
    { class: 'inclusion', 'aria-labelledby': 'inclusion-h' },
    h('h2', { id: 'inclusion-h' }, 'Inclusion in the logs'),
    ...(inclusion?.alerts ?? []).map((alert) =>
      h(
        'div',
        { class: 'split-view', role: 'alert', 'data-alert': 'split-view' },
        h('strong', {}, `SPLIT VIEW: ${alert.log} showed two different histories.`),
        h('p', {}, alert.detail),
        h('ul', {}, alert.evidence.map((head) => h('li', {}, h('code', { class: 'hex' }, `size ${head.treeSize}, root ${head.rootHash}, ${new Date(head.timestamp).toISOString()}`)))),
        h('p', {}, 'Export the report to keep both signed tree heads as evidence.'),
      ),
    ),
    inclusion
      ? h(
          'ul',
          { id: 'inclusion', class: 'inclusion-results' },
          inclusion.results.map((r, i) => {
            const sct = state.report!.scts[i];
            return h('li', { 'data-inclusion': r.status }, h('strong', {}, `${sct?.log?.description ?? `SCT ${i + 1}`}: ${r.status}`), ' — ', r.detail);
          }),
        )
      : null,
    inclusion?.notes.length ? h('ul', { class: 'notes' }, inclusion.notes.map((n) => h('li', {}, n))) : null,
    h(
      'p',
      { id: 'inclusion-disclosure', class: 'hint' },
      logs.length
        ? `Checks that the logs kept their promise by asking them for proofs. This contacts ${logs.join(', ')}: their operators learn which certificate you are looking at, and your IP address.`
        : 'No valid SCT from a known log: there is nothing to prove.',
    ),
    button,
    view.error ? h('p', { class: 'problem', role: 'alert' }, view.error) : null,
  );
}
