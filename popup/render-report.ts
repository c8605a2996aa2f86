/**
 * Shows a Report (popup and audit page). Everything shown comes from the report as the worker
 * made it: verdicts, statuses and levels are displayed, never re-derived. Certificate names and
 * log descriptions are untrusted and only ever set as text.
 */
import type { BrowserCtVerdict, Level, Summary } from '../src/summary.js';
import type { Report, SctReport } from '../src/report.js';
import { renderBrowserVerdict } from './browser-verdict.js';
import { dl, h, replace, toggleButton, type Child } from './dom.js';
import { day, fileSafe, groupHex, LEVEL_LABELS, SOURCE_LABELS, utc } from './format.js';
import { policiesSection } from './policies-view.js';
import { logStateText, sctsSection } from './sct-table.js';

export interface ReportOptions {
  /** Opens the options page, where the log list is updated (the stale list notice links there). */
  readonly openOptions?: () => void;
  /** The browser's own CT verdict, shown after ctlens's (the popup). */
  readonly browserVerdict?: BrowserCtVerdict;
  /** Whether the raw SCTs section starts open, and where to remember it. */
  readonly rawOpen?: boolean;
  /** More to put in the exported JSON beside the report (the inclusion audit, tree heads). */
  readonly exportExtra?: () => Record<string, unknown> | undefined;
  readonly onRawToggle?: (open: boolean) => void;
}

export interface ReportView {
  /** Policies (with the stale list line), the browser's verdict, SCTs, certificate, notes. */
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
  const sign = h('span', { 'aria-hidden': 'true' }, label.sign);
  const levelWords = showLevel ? h('span', { class: 'level' }, sign, ' ', label.word) : null;
  replace(target, levelWords, h('span', { class: 'title' }, title));
}

export function renderReportSummary(target: HTMLElement, summary: Summary): void {
  renderSummary(target, summary.level, summary.title, 'done');
}

export function renderReport(report: Report, options: ReportOptions = {}): ReportView {
  const browserVerdict = options.browserVerdict ? renderBrowserVerdict(options.browserVerdict) : null;
  const notes = report.notes.length
    ? h(
        'section',
        { class: 'notes', 'aria-labelledby': 'notes-h' },
        h('h2', { id: 'notes-h' }, 'Notes'),
        h(
          'ul',
          {},
          report.notes.map((n) => h('li', {}, n)),
        ),
      )
    : null;
  const main = h(
    'div',
    { class: 'report' },
    policiesSection(report, options.openOptions, browserVerdict),
    sctsSection(report),
    certificateSection(report),
    notes,
    logListFootnote(report),
  );
  const raw = rawSection(report);
  const rawButton = toggleButton('Raw SCTs', raw, options.rawOpen ?? false, options.onRawToggle);
  rawButton.id = 'raw-toggle';
  const exportButton = h('button', { type: 'button', id: 'export-json' }, 'Export report (JSON)');
  exportButton.addEventListener('click', () => {
    downloadJson({ ...report, ...(options.exportExtra?.() ?? {}) }, reportFileName(report));
  });
  return { main, raw, rawButton, exportButton };
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
  const moreNames = h(
    'ul',
    { class: 'names', id: 'more-names' },
    hidden.map((n) => h('li', {}, n)),
  );
  const flags = [c.isPrecertificate ? 'precertificate' : '', c.isCA ? 'CA certificate' : ''].filter(Boolean).join(', ');
  const shownNames = [
    h(
      'ul',
      { class: 'names' },
      names.slice(0, NAMES_SHOWN).map((n) => h('li', {}, n)),
    ),
    hidden.length ? moreNames : null,
    hidden.length ? toggleButton(`All ${names.length} names`, moreNames) : null,
  ];
  const flag = (name: string, text: string) =>
    h('strong', { class: 'flag', 'data-flag': name }, ` ${text} at ${utc(report.evaluatedAt)}`);
  const issuerCert = report.issuer
    ? h(
        'span',
        {},
        dn(report.issuer.subject),
        h('br'),
        h('code', { class: 'hex' }, `SHA-256 ${groupHex(report.issuer.sha256)}`),
      )
    : 'not given: embedded SCTs cannot be checked without it';
  return h(
    'section',
    { class: 'certificate', 'aria-labelledby': 'cert-h' },
    h('h2', { id: 'cert-h' }, 'Certificate'),
    dl([
      ['Subject', dn(c.subject)],
      [`Names (${names.length})`, names.length ? shownNames : 'none'],
      ['Issuer', dn(c.issuer)],
      [
        'Valid',
        [
          `${utc(c.notBefore)} to ${utc(c.notAfter)}`,
          expired ? flag('expired', 'expired') : null,
          early ? flag('not-yet-valid', 'not yet valid') : null,
        ],
      ],
      ['SHA-256', h('code', { class: 'hex' }, groupHex(c.sha256))],
      ['Serial', h('code', { class: 'hex' }, c.serialNumber)],
      ['Key', c.publicKey],
      flags ? ['Kind', flags] : ['', null],
      ['Issuer cert', issuerCert],
    ]),
  );
}

/** A distinguished name, with line-break opportunities after its commas. */
function dn(name: string): HTMLElement {
  if (!name) return h('span', { class: 'dn' }, '(empty)');
  const parts = name.split(',');
  const pieces = parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part},`, h('wbr')] : [part]));
  return h('span', { class: 'dn' }, pieces);
}

function logListFootnote(report: Report): HTMLElement {
  const sources = report.logList.sources.map(
    (s) => `${s.source}${s.timestamp ? `, ${day(s.timestamp)}` : ''}${s.signed ? '' : ', unsigned'}`,
  );
  const lists = sources.length ? sources.join('; ') : 'no log list';
  return h('p', { class: 'footnote' }, `Evaluated at ${utc(report.evaluatedAt)} with ${lists}.`);
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

const extensions = (hex: string) => (hex ? h('code', { class: 'b64' }, hex) : '(none)');

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
    ['Extensions', sct.extensions === undefined ? undefined : extensions(sct.extensions)],
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

type Frame = { readonly host: string; readonly level: Level; readonly title: string };

export function renderFrames(frames: readonly Frame[]): HTMLElement {
  const tag = (level: Level) => {
    const sign = h('span', { 'aria-hidden': 'true' }, LEVEL_LABELS[level].sign);
    return h('span', { class: 'tag', 'data-tone': level }, sign, ' ', LEVEL_LABELS[level].word);
  };
  return h(
    'section',
    { class: 'frames', 'aria-labelledby': 'frames-h' },
    h('h2', { id: 'frames-h' }, `Frames from other sites (${frames.length})`),
    h(
      'ul',
      {},
      frames.map((f) =>
        h(
          'li',
          { 'data-level': f.level },
          tag(f.level),
          ' ',
          h('strong', {}, f.host),
          h('span', { class: 'sub' }, f.title),
        ),
      ),
    ),
  );
}

// ---- export --------------------------------------------------------------------------------

function reportFileName(report: Report): string {
  const { subjectAltNames, subject } = report.certificate;
  const name = subjectAltNames[0]?.replace(/^[A-Z]+:/, '') ?? subject.match(/CN=([^,]+)/)?.[1] ?? 'certificate';
  return `ctlens-${fileSafe(name)}-${report.evaluatedAt.slice(0, 10)}.json`;
}

/** Saves `data` as a JSON file through a Blob and <a download>. */
function downloadJson(data: unknown, filename: string): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may start after this handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
