/**
 * The popup's "Inclusion in the logs" section: what checking reveals and to whom (before anything
 * is sent), the button, each SCT's outcome, and a split view as the loudest alert.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../background/messages.js';
import type { EvidenceHead, SplitViewAlert, StoredHead } from '../src/inclusion/tree-heads.js';
import { h } from './dom.js';
import type { InclusionResult } from '../src/inclusion/prove-sct.js';
import type { WitnessResult } from '../src/witness/check.js';
import { contactDisclosure, hostPatterns, logsToContact, witnessDisclosure, witnessesToContact } from './log-access.js';
import { treeHeadSource } from './tree-head-source.js';

export interface InclusionView {
  readonly busy: boolean;
  readonly error?: string;
  readonly onCheck: () => void;
  /** Options' witness policy (tlog-policy text), whose witnesses the check also asks. */
  readonly witnessPolicy?: string | null;
}

/** Chromium gives extensions no certificates and no blanket host access: it needs asking. */
export const isChromium = (): boolean => typeof browser.webRequest?.getSecurityInfo !== 'function';

/**
 * The permission to contact the state's logs, exactly those the check contacts (log-access.ts).
 * Chromium reaches a log only with a host permission for it, which must be requested within the
 * click (call this before awaiting anything); Firefox already holds <all_urls>.
 */
export function requestLogAccess(state: TabState, witnessPolicy?: string | null): Promise<boolean> {
  const logs = logsToContact(state.report);
  const origins = hostPatterns([...logs, ...witnessesToContact(logs, witnessPolicy)]);
  return isChromium() && origins.length ? browser.permissions.request({ origins }) : Promise.resolve(true);
}

export function inclusionSection(state: TabState, view: InclusionView): HTMLElement | null {
  if (state.phase !== 'done' || !state.report) return null;
  const logs = logsToContact(state.report);
  const witnesses = witnessesToContact(logs, view.witnessPolicy);
  const inclusion = state.inclusion;
  const button = h(
    'button',
    { type: 'button', id: 'check-inclusion', class: 'secondary', 'aria-describedby': 'inclusion-disclosure' },
    view.busy ? 'Checking inclusion…' : inclusion ? 'Check inclusion again' : 'Check inclusion',
  );
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
        h(
          'strong',
          {},
          alert.witness
            ? `SPLIT VIEW: ${alert.log} showed witness ${alert.witness} another tree than it showed you.`
            : `SPLIT VIEW: ${alert.log} showed two different histories.`,
        ),
        h('p', {}, alert.detail),
        h(
          'ul',
          {},
          alert.evidence.map((head) => h('li', {}, h('code', { class: 'hex' }, evidenceHead(head)))),
        ),
        h('p', {}, 'Export the report to keep both signed tree heads as evidence.'),
      ),
    ),
    inclusion
      ? h(
          'ul',
          { id: 'inclusion', class: 'inclusion-results' },
          inclusion.results.map((r, i) => {
            const sct = state.report!.scts[i];
            return h(
              'li',
              { 'data-inclusion': r.status },
              h('strong', {}, `${sct?.log?.description ?? `SCT ${i + 1}`}: ${r.status}`),
              ' — ',
              r.detail,
              r.treeHead
                ? proofDetails(
                    r.treeHead,
                    r.auditPath ?? [],
                    treeHeadSource(r.treeHead, sct?.log?.source, state.report!),
                  )
                : null,
              witnessList(r),
            );
          }),
        )
      : null,
    inclusion?.notes.length
      ? h(
          'ul',
          { class: 'notes' },
          inclusion.notes.map((n) => h('li', {}, n)),
        )
      : null,
    h(
      'p',
      { id: 'inclusion-disclosure', class: 'hint' },
      [contactDisclosure(logs), witnessDisclosure(witnesses)].filter(Boolean).join(' '),
    ),
    button,
    view.error ? h('p', { class: 'problem', role: 'alert' }, view.error) : null,
  );
}

const COSIGNED: Record<WitnessResult['cosignature'], string> = {
  verified: 'cosigned this tree head',
  absent: 'did not cosign this tree head',
  invalid: 'a cosignature that does not verify',
};
const LATEST: Record<WitnessResult['latest'], string> = {
  same: 'its latest is this tree',
  ahead: 'its latest is a larger tree this one is proven a prefix of',
  behind: 'its latest is an older tree, proven a prefix of this one',
  'split-view': 'its latest CONTRADICTS this tree',
  'not-asked': 'not asked (no URL)',
  'never-cosigned': 'it never cosigned this log',
  unavailable: 'unreachable',
  error: 'a malformed answer',
  unchecked: 'its latest could not be related to this tree (no consistency proof)',
};

/** The witnesses behind the tree head the proof was checked against, and the quorum (none without a policy). */
function witnessList(r: InclusionResult): HTMLElement | null {
  if (!r.quorum || r.quorum === 'no-policy') return null;
  const quorum = r.quorum === 'met' ? 'quorum met' : 'quorum NOT met';
  return h(
    'div',
    { class: 'witnesses', 'data-quorum': r.quorum },
    h('p', {}, `Witnesses: ${quorum}${r.witnessDetail ? ` (${r.witnessDetail})` : ''}`),
    r.witnesses?.length
      ? h(
          'ul',
          {},
          r.witnesses.map((w) =>
            h(
              'li',
              { 'data-witness': w.name, 'data-cosignature': w.cosignature, 'data-latest': w.latest },
              `${w.name}: ${COSIGNED[w.cosignature]}${w.cosignedAt ? ` at ${w.cosignedAt}` : ''}; ` +
                `${LATEST[w.latest]}${w.latestTreeSize === undefined ? '' : ` (size ${w.latestTreeSize})`}`,
            ),
          ),
        )
      : null,
  );
}

/** The evidence behind an outcome: the tree head (`source`: where it came from) and the audit path, folded away. */
function proofDetails(head: StoredHead, path: readonly string[], source: string): HTMLElement {
  return h(
    'details',
    { class: 'proof' },
    h('summary', {}, 'Proof'),
    h('p', {}, `Tree head: size ${head.treeSize}, ${new Date(head.timestamp).toISOString()} (${source})`),
    h('p', {}, 'Root: ', h('code', { class: 'hex' }, head.rootHash)),
    path.length
      ? h(
          'ol',
          { class: 'audit-path' },
          path.map((p) => h('li', {}, h('code', { class: 'hex' }, p))),
        )
      : h('p', {}, 'Audit path: empty (a one-leaf tree).'),
  );
}

/**
 * The tree heads kept per log: the history each new head is checked against for consistency; and
 * the split views kept as evidence (both signed heads each), which keep the log flagged.
 */
export function treeHeadHistory(
  heads: Record<string, readonly StoredHead[]>,
  names: Record<string, string>,
  splitViews: Record<string, readonly SplitViewAlert[]> = {},
): HTMLElement | null {
  const ids = [...new Set([...Object.keys(heads), ...Object.keys(splitViews)])];
  const logs = ids
    .map((id) => [id, heads[id] ?? []] as const)
    .filter(([id, list]) => list.length || splitViews[id]?.length);
  if (!logs.length) return null;
  return h(
    'section',
    { class: 'tree-heads', 'aria-labelledby': 'tree-heads-h' },
    h('h2', { id: 'tree-heads-h' }, 'Tree heads seen'),
    h(
      'p',
      { class: 'hint' },
      'Every verified tree head kept for these logs; each new one is checked for consistency with them.',
    ),
    ...logs.map(([id, list]) =>
      h(
        'div',
        {},
        h('h3', {}, names[id] ?? id),
        h(
          'ul',
          {},
          list.map((head) =>
            h(
              'li',
              {},
              `size ${head.treeSize} · ${new Date(head.timestamp).toISOString()} · root `,
              h('code', { class: 'hex' }, `${head.rootHash.slice(0, 16)}…`),
            ),
          ),
        ),
        splitViews[id]?.length ? keptSplitViews(splitViews[id]!) : null,
      ),
    ),
  );
}

/** A log's kept split views: when each was caught, and its two signed heads in full. */
function keptSplitViews(alerts: readonly SplitViewAlert[]): HTMLElement {
  return h(
    'div',
    { class: 'split-view', 'data-kept-split-views': String(alerts.length) },
    h('strong', {}, `Split views kept as evidence: ${alerts.length}`),
    h(
      'ul',
      {},
      alerts.map((alert) =>
        h(
          'li',
          {},
          `${new Date(alert.evidence[1].seenAt).toISOString()}: ${alert.detail}`,
          h(
            'ul',
            {},
            alert.evidence.map((head) => h('li', {}, h('code', { class: 'hex' }, signedHead(head)))),
          ),
        ),
      ),
    ),
  );
}

/** A split view's evidence head in one line: who showed it (a witness split view's), size, root, time. */
const evidenceHead = (head: EvidenceHead): string =>
  `${head.from ? `${head.from}: ` : ''}size ${head.treeSize}, root ${head.rootHash}, ` +
  new Date(head.timestamp).toISOString();

const signedHead = (head: StoredHead): string => {
  const time = new Date(head.timestamp).toISOString();
  return `size ${head.treeSize}, root ${head.rootHash}, ${time}, signature ${head.signature}`;
};
