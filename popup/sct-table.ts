/**
 * The SCT table: one row per SCT. Each cell carries its column's name (data-label), so on a
 * narrow page (style.css: a container under 560 px, the 380 px toolbar popup, a 320 px window)
 * every SCT stacks its fields, label beside value, and no column is scrolled out of sight.
 */
import type { Report, SctReport } from '../src/report.js';
import { h } from './dom.js';
import { day, SOURCE_LABELS, utc } from './format.js';
import { verdictTag } from './policies-view.js';

const COLUMNS = ['#', 'Status', 'Log', 'Operator', 'Time (UTC)', 'Source', 'Leaf index'] as const;
type Column = (typeof COLUMNS)[number];

export function sctsSection(report: Report): HTMLElement {
  const malformed = report.sctList === 'malformed';
  const empty = malformed
    ? 'The SCT list could not be read.'
    : 'No SCTs: none in the certificate, and none delivered by TLS or OCSP.';
  const rows = report.scts.length
    ? report.scts.map(sctRow)
    : h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length }, empty));
  const table = h(
    'table',
    { id: 'scts' },
    h('caption', {}, `Signed Certificate Timestamps (${report.scts.length})`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        COLUMNS.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );
  const problem = `The certificate's SCT list is malformed: ${report.sctListError ?? 'unreadable'}`;
  return h(
    'section',
    { class: 'scts', 'aria-labelledby': 'scts-h' },
    h('h2', { id: 'scts-h' }, 'SCTs'),
    malformed ? h('p', { class: 'problem' }, problem) : null,
    h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'scts-h', tabindex: 0 }, table),
  );
}

/** Under a mimic log's SCT (src/loglist/mimics.ts): valid says only that the signature checks. */
const MIMIC_NOTE = 'Mimic log: its private key is public, so this SCT proves nothing and counts for no policy.';

/** A cell labelled with its column, for the stacked layout. */
const cell = (column: Column, attrs: Record<string, string | undefined>, ...content: (Node | string | null)[]) =>
  h('td', { ...attrs, 'data-label': column }, ...content);

const sub = (text: string | null | undefined) => (text ? h('span', { class: 'sub' }, text) : null);

function sctRow(sct: SctReport): HTMLElement {
  const log = sct.log;
  const id = sct.logId ? h('code', { class: 'logid', title: sct.logId }, ` ${sct.logId.slice(0, 12)}…`) : null;
  const time = sct.timestamp === null ? '—' : utc(sct.timestamp).replace(' UTC', '');
  return h(
    'tr',
    { 'data-status': sct.status, 'data-mimic': log?.mimic },
    h('th', { scope: 'row' }, String(sct.position)),
    cell('Status', { class: 'status', title: sct.detail }, verdictTag(sct.status), sub(sct.detail)),
    cell(
      'Log',
      { class: 'log' },
      log?.description ?? h('span', {}, 'Unknown log', id),
      sub(log && logStateText(log)),
      log?.mimic ? h('strong', { class: 'sub mimic' }, MIMIC_NOTE) : null,
    ),
    cell('Operator', {}, log ? log.operator : '—'),
    cell('Time (UTC)', { class: 'time' }, time),
    cell('Source', {}, SOURCE_LABELS[sct.source] ?? sct.source),
    cell('Leaf index', { class: 'num' }, sct.leafIndex === null ? '—' : String(sct.leafIndex)),
  );
}

/** The log's state now, and what the list records (it may differ: a state can begin later). */
export function logStateText(log: NonNullable<SctReport['log']>): string {
  const listed = log.listedState ? `${log.listedState.name} since ${day(log.listedState.since)}` : null;
  if (log.state && (!log.listedState || log.listedState.name === log.state)) {
    return `${log.state}${log.listedState ? ` since ${day(log.listedState.since)}` : ''}`;
  }
  if (log.state) return `${log.state} (list: ${listed})`;
  return listed ? `list: ${listed}` : 'no state in the list';
}
