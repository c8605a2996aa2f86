/**
 * Shows a Report (popup and audit page). Everything shown comes from the report as the worker
 * made it: verdicts, statuses and levels are displayed, never re-derived. Certificate names and
 * log descriptions are untrusted and only ever set as text.
 */
import type { BrowserCtVerdict, Level, Summary } from '../src/summary.js';
import type { PolicyName } from '../src/policy/evaluate.js';
import type { PolicyResult } from '../src/policy/types.js';
import type { Report, SctReport } from '../src/report.js';
import { dl, h, replace, toggleButton, type Child } from './dom.js';
import { day, fileSafe, groupHex, LEVEL_LABELS, POLICY_LABELS, SOURCE_LABELS, utc, verdictSign } from './format.js';

export interface ReportOptions {
  /** Opens the options page, where the log list is updated (the stale list notice links there). */
  readonly openOptions?: () => void;
  /** Whether the raw SCTs section starts open, and where to remember it. */
  readonly rawOpen?: boolean;
  /** More to put in the exported JSON beside the report (the inclusion audit, tree heads). */
  readonly exportExtra?: () => Record<string, unknown> | undefined;
  readonly onRawToggle?: (open: boolean) => void;
}

export interface ReportView {
  /** Stale list notice, policies, SCTs, certificate, notes. */
  readonly main: HTMLElement;
  /** The raw SCTs, hidden until rawButton opens them. */
  readonly raw: HTMLElement;
  readonly rawButton: HTMLButtonElement;
  readonly exportButton: HTMLButtonElement;
}

/** The banner: a level (as a word and a sign, not colour alone) and one line. */
export function renderSummary(target: HTMLElement, level: Level, title: string, phase?: string): void {
  target.dataset.level = level;
  if (phase) target.dataset.phase = phase;
  else delete target.dataset.phase;
  const label = LEVEL_LABELS[level];
  // A verdict's level is named in words; a phase (not checked, checking, failed) speaks for itself.
  const showLevel = phase === undefined || phase === 'done';
  replace(target, showLevel ? h('span', { class: 'level' }, h('span', { 'aria-hidden': 'true' }, label.sign), ' ', label.word) : null, h('span', { class: 'title' }, title));
}

export function renderReportSummary(target: HTMLElement, summary: Summary): void {
  renderSummary(target, summary.level, summary.title, 'done');
}

export function renderReport(report: Report, options: ReportOptions = {}): ReportView {
  const main = h(
    'div',
    { class: 'report' },
    report.logList.stale ? staleNotice(report, options.openOptions) : null,
    policiesSection(report),
    sctsSection(report),
    certificateSection(report),
    report.notes.length ? h('section', { class: 'notes', 'aria-labelledby': 'notes-h' }, h('h2', { id: 'notes-h' }, 'Notes'), h('ul', {}, report.notes.map((n) => h('li', {}, n)))) : null,
    logListFootnote(report),
  );
  const raw = rawSection(report);
  const rawButton = toggleButton('Raw SCTs', raw, options.rawOpen ?? false, options.onRawToggle);
  rawButton.id = 'raw-toggle';
  const exportButton = h('button', { type: 'button', id: 'export-json' }, 'Export report (JSON)');
  exportButton.addEventListener('click', () => downloadJson({ ...report, ...(options.exportExtra?.() ?? {}) }, reportFileName(report)));
  return { main, raw, rawButton, exportButton };
}

function staleNotice(report: Report, openOptions?: () => void): HTMLElement {
  const { ageDays } = report.logList;
  const age = ageDays === null ? 'The log list has no date' : `The log list is ${ageDays} day${ageDays === 1 ? '' : 's'} old (over 70)`;
  return h(
    'div',
    { class: 'notice', id: 'stale-notice', role: 'note' },
    h('p', {}, `${age}: verdicts that depend on it are unknown until it is updated (logs from your extra log list are judged by that list). SCT signatures are still checked.`),
    openOptions ? actionButton('Update the log list in Options', openOptions, 'stale-options') : h('p', {}, 'Update it in the extension\'s options.'),
  );
}

function actionButton(label: string, onClick: () => void, id?: string): HTMLButtonElement {
  const button = h('button', { type: 'button', id }, label);
  button.addEventListener('click', onClick);
  return button;
}

// ---- policies ------------------------------------------------------------------------------

const POLICY_ORDER: readonly PolicyName[] = ['chrome', 'apple', 'firefox'];

function policiesSection(report: Report): HTMLElement {
  return h(
    'section',
    { class: 'policies', 'aria-labelledby': 'policies-h' },
    h('h2', { id: 'policies-h' }, 'CT policies'),
    h('ul', { class: 'policy-list' }, POLICY_ORDER.map((name) => policyItem(name, report.policies[name]))),
  );
}

function policyItem(name: PolicyName, result: PolicyResult): HTMLElement {
  const [first, ...more] = result.reasons;
  return h(
    'li',
    { class: 'policy', 'data-policy': name, 'data-verdict': result.verdict },
    h('div', { class: 'policy-head' }, h('h3', {}, POLICY_LABELS[name]), verdictTag(result.verdict)),
    result.wouldBe ? h('p', { class: 'would-be' }, 'rules alone: ', verdictTag(result.wouldBe)) : null,
    result.summary ? h('p', { class: 'policy-summary' }, result.summary) : null,
    first !== undefined ? h('p', { class: 'reason' }, first) : null,
    more.length
      ? h('details', { class: 'more-reasons' }, h('summary', {}, `${more.length} more reason${more.length === 1 ? '' : 's'}`), h('ul', {}, more.map((r) => h('li', {}, r))))
      : null,
  );
}

/** A verdict or status as text, with a sign; its colour comes from data-tone in the style sheet. */
function verdictTag(verdict: string): HTMLElement {
  return h('span', { class: 'tag', 'data-tone': verdict }, h('span', { 'aria-hidden': 'true' }, verdictSign(verdict)), ' ', verdict);
}

// ---- SCTs ----------------------------------------------------------------------------------

function sctsSection(report: Report): HTMLElement {
  const table = h(
    'table',
    { id: 'scts' },
    h('caption', {}, `Signed Certificate Timestamps (${report.scts.length})`),
    h(
      'thead',
      {},
      h('tr', {}, ['#', 'Status', 'Log', 'Operator', 'Time (UTC)', 'Source', 'Leaf index'].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h(
      'tbody',
      {},
      report.scts.length
        ? report.scts.map(sctRow)
        : h('tr', { class: 'empty' }, h('td', { colspan: 7 }, report.sctList === 'malformed' ? 'The SCT list could not be read.' : 'No SCTs: none in the certificate, and none delivered by TLS or OCSP.')),
    ),
  );
  return h(
    'section',
    { class: 'scts', 'aria-labelledby': 'scts-h' },
    h('h2', { id: 'scts-h' }, 'SCTs'),
    report.sctList === 'malformed' ? h('p', { class: 'problem' }, `The certificate's SCT list is malformed: ${report.sctListError ?? 'unreadable'}`) : null,
    h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'scts-h', tabindex: 0 }, table),
  );
}

function sctRow(sct: SctReport): HTMLElement {
  const log = sct.log;
  return h(
    'tr',
    { 'data-status': sct.status },
    h('th', { scope: 'row' }, String(sct.position)),
    h('td', { class: 'status', title: sct.detail }, verdictTag(sct.status), sct.detail ? h('span', { class: 'sub' }, sct.detail) : null),
    h(
      'td',
      { class: 'log' },
      log ? log.description : h('span', {}, 'Unknown log', sct.logId ? h('code', { class: 'logid', title: sct.logId }, ` ${sct.logId.slice(0, 12)}…`) : null),
      log ? h('span', { class: 'sub' }, logStateText(log)) : null,
    ),
    h('td', {}, log ? log.operator : '—'),
    h('td', { class: 'time' }, sct.timestamp === null ? '—' : utc(sct.timestamp).replace(' UTC', '')),
    h('td', {}, SOURCE_LABELS[sct.source] ?? sct.source),
    h('td', { class: 'num' }, sct.leafIndex === null ? '—' : String(sct.leafIndex)),
  );
}

function logStateText(log: NonNullable<SctReport['log']>): string {
  const listed = log.listedState ? `${log.listedState.name} since ${day(log.listedState.since)}` : null;
  if (log.state && (!log.listedState || log.listedState.name === log.state)) return `${log.state}${listed ? ` since ${day(log.listedState!.since)}` : ''}`;
  if (log.state) return `${log.state} (list: ${listed})`;
  return listed ? `list: ${listed}` : 'no state in the list';
}

// ---- certificate ---------------------------------------------------------------------------

const NAMES_SHOWN = 8;

function certificateSection(report: Report): HTMLElement {
  const c = report.certificate;
  const at = Date.parse(report.evaluatedAt);
  const expired = Date.parse(c.notAfter) < at;
  const early = Date.parse(c.notBefore) > at;
  const names = c.subjectAltNames;
  const hidden = names.slice(NAMES_SHOWN);
  const moreNames = h('ul', { class: 'names', id: 'more-names' }, hidden.map((n) => h('li', {}, n)));
  const flags = [c.isPrecertificate ? 'precertificate' : '', c.isCA ? 'CA certificate' : ''].filter(Boolean).join(', ');
  // The worker gives the verdict first and the names a moment later (described: false until then).
  const reading = (value: HTMLElement | string | (HTMLElement | null)[]) => (c.described === false ? h('span', { class: 'pending' }, 'reading…') : value);
  return h(
    'section',
    { class: 'certificate', 'aria-labelledby': 'cert-h' },
    h('h2', { id: 'cert-h' }, 'Certificate'),
    dl([
      ['Subject', reading(dn(c.subject))],
      [
        c.described === false ? 'Names' : `Names (${names.length})`,
        reading(
          names.length
            ? [h('ul', { class: 'names' }, names.slice(0, NAMES_SHOWN).map((n) => h('li', {}, n))), hidden.length ? moreNames : null, hidden.length ? toggleButton(`All ${names.length} names`, moreNames) : null]
            : 'none',
        ),
      ],
      ['Issuer', reading(dn(c.issuer))],
      [
        'Valid',
        [
          `${utc(c.notBefore)} to ${utc(c.notAfter)}`,
          expired ? h('strong', { class: 'flag', 'data-flag': 'expired' }, ` expired at ${utc(report.evaluatedAt)}`) : null,
          early ? h('strong', { class: 'flag', 'data-flag': 'not-yet-valid' }, ` not yet valid at ${utc(report.evaluatedAt)}`) : null,
        ],
      ],
      ['SHA-256', h('code', { class: 'hex' }, groupHex(c.sha256))],
      ['Serial', h('code', { class: 'hex' }, c.serialNumber)],
      ['Key', c.publicKey],
      flags ? ['Kind', flags] : ['', null],
      report.issuer ? ['Issuer cert', h('span', {}, reading(dn(report.issuer.subject)), h('br'), h('code', { class: 'hex' }, `SHA-256 ${groupHex(report.issuer.sha256)}`))] : ['Issuer cert', 'not given: embedded SCTs cannot be checked without it'],
    ]),
  );
}

/** A distinguished name, with line-break opportunities after its commas. */
function dn(name: string): HTMLElement {
  if (!name) return h('span', { class: 'dn' }, '(empty)');
  const parts = name.split(',');
  return h('span', { class: 'dn' }, parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part},`, h('wbr')] : [part])));
}

function logListFootnote(report: Report): HTMLElement {
  const sources = report.logList.sources.map((s) => `${s.source}${s.timestamp ? `, ${day(s.timestamp)}` : ''}${s.signed ? '' : ', unsigned'}`);
  return h('p', { class: 'footnote' }, `Evaluated at ${utc(report.evaluatedAt)} with ${sources.length ? sources.join('; ') : 'no log list'}.`);
}

// ---- raw SCTs ------------------------------------------------------------------------------

function rawSection(report: Report): HTMLElement {
  return h(
    'section',
    { class: 'raw', id: 'raw-scts', 'aria-labelledby': 'raw-h' },
    h('h2', { id: 'raw-h' }, 'Raw SCTs'),
    report.scts.length ? report.scts.map(rawSct) : h('p', {}, 'No SCTs.'),
  );
}

function rawSct(sct: SctReport): HTMLElement {
  const log = sct.log;
  const rows: [string, Child | Child[]][] = [
    ['Status', [sct.status, sct.detail ? ` — ${sct.detail}` : '']],
    ['Version', sct.version === null ? 'unreadable' : `${sct.version} (v${sct.version + 1})`],
    ['Entry type', sct.entryType],
    ['Log ID', sct.logId === null ? null : h('code', { class: 'b64' }, sct.logId)],
    ['Timestamp', sct.timestamp === null ? null : `${sct.timestamp} (${utc(sct.timestamp)})`],
    ['Leaf index', sct.leafIndex === null ? null : String(sct.leafIndex)],
    ['Hash algorithm', sct.hashAlgorithm === undefined ? undefined : String(sct.hashAlgorithm)],
    ['Signature algorithm', sct.signatureAlgorithm === undefined ? undefined : String(sct.signatureAlgorithm)],
    ['Extensions', sct.extensions === undefined ? undefined : sct.extensions ? h('code', { class: 'b64' }, sct.extensions) : '(none)'],
    ['Log', log ? `${log.description} (${log.operator}, ${log.type})` : 'not in the log list'],
    ['Log state', log ? logStateText(log) : null],
    ['Log URL', log?.url ?? null],
    ['Log MMD', log?.mmd === null || log?.mmd === undefined ? null : `${log.mmd} s`],
    ['Log source', log?.source ?? null],
    ['Raw (base64)', h('code', { class: 'b64' }, sct.raw)],
  ];
  return h(
    'article',
    { class: 'raw-sct', 'data-status': sct.status },
    h('h3', {}, `SCT ${sct.position}, ${SOURCE_LABELS[sct.source] ?? sct.source}`),
    dl(rows),
  );
}

// ---- other pieces the popup shows ----------------------------------------------------------

export function renderBrowserVerdict(verdict: BrowserCtVerdict): HTMLElement {
  const who = verdict.browser === 'firefox' ? 'Firefox' : 'Chromium';
  return h(
    'p',
    { class: 'browser-verdict', id: 'browser-verdict', 'data-browser': verdict.browser, 'data-compliant': String(verdict.compliant) },
    `${who}'s own CT check: `,
    h('strong', {}, verdict.status),
    verdict.compliant ? ' (compliant)' : '',
  );
}

export function renderFrames(frames: readonly { readonly host: string; readonly level: Level; readonly title: string }[]): HTMLElement {
  return h(
    'section',
    { class: 'frames', 'aria-labelledby': 'frames-h' },
    h('h2', { id: 'frames-h' }, `Frames from other sites (${frames.length})`),
    h(
      'ul',
      {},
      frames.map((f) =>
        h('li', { 'data-level': f.level }, h('span', { class: 'tag', 'data-tone': f.level }, h('span', { 'aria-hidden': 'true' }, LEVEL_LABELS[f.level].sign), ' ', LEVEL_LABELS[f.level].word), ' ', h('strong', {}, f.host), h('span', { class: 'sub' }, f.title)),
      ),
    ),
  );
}

// ---- export --------------------------------------------------------------------------------

export function reportFileName(report: Report): string {
  const name = report.certificate.subjectAltNames[0]?.replace(/^[A-Z]+:/, '') ?? report.certificate.subject.match(/CN=([^,]+)/)?.[1] ?? 'certificate';
  return `ctlens-${fileSafe(name)}-${report.evaluatedAt.slice(0, 10)}.json`;
}

/** Saves `data` as a JSON file through a Blob and <a download>. */
export function downloadJson(data: unknown, filename: string): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may start after this handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
