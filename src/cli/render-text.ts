/**
 * The human-readable rendering of a report: certificate, SCT table, policy verdicts. Lines are
 * Text (src/cli/terminal.ts): the terminal writer escapes every string in them and applies the
 * styles, so nothing here writes an escape sequence or trusts a field.
 */
import type { Report, SctReport } from '../report.js';
import type { PolicyResult } from '../policy/types.js';
import { logListFreshness, MAX_LOG_LIST_AGE_DAYS } from '../loglist/freshness.js';
import type { LogRegistry } from '../loglist/registry.js';
import { describeMimic } from '../loglist/mimics.js';
import { DAY_MS } from '../time.js';
import type { InclusionProofs } from '../inclusion/prove-inclusion.js';
import type { InclusionResult } from '../inclusion/prove-sct.js';
import type { HostCheck } from './live-host.js';
import { bad, bold, dim, good, shownLength, span, warn, type Text } from './terminal.js';

const utc = (ms: number | string): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$/, 'Z');

/** `text` padded to `width` characters as written (escapes included). */
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - shownLength(text)));

export function renderReport(report: Report): Text[] {
  const out: Text[] = [];
  const c = report.certificate;
  const lifetimeDays = (Date.parse(c.notAfter) - Date.parse(c.notBefore)) / DAY_MS;
  out.push(bold(c.isPrecertificate ? 'Precertificate' : 'Certificate'));
  const field = (name: string, value: Text) => out.push(span`  ${name.padEnd(10)} ${value}`);
  field('Subject', c.subject || '(empty)');
  if (c.subjectAltNames.length) {
    const more = c.subjectAltNames.length > 6 ? `, … (${c.subjectAltNames.length} in all)` : '';
    field('SANs', c.subjectAltNames.slice(0, 6).join(', ') + more);
  }
  field('Issuer', c.issuer);
  field('Serial', c.serialNumber);
  const evaluated = Date.parse(report.evaluatedAt);
  const when =
    evaluated > Date.parse(c.notAfter)
      ? warn(' expired')
      : evaluated < Date.parse(c.notBefore)
        ? warn(' not yet valid')
        : '';
  const days = Math.round(lifetimeDays * 100) / 100;
  field('Validity', span`${utc(c.notBefore)} → ${utc(c.notAfter)} (${days} days)${when}`);
  field('Key', c.publicKey);
  field('SHA-256', c.sha256);
  if (!report.issuer) {
    out.push(warn('  No issuer certificate given: embedded SCTs cannot be checked (use --issuer or a PEM chain).'));
  }
  out.push('');

  const listLine =
    report.sctList === 'absent'
      ? 'no embedded SCT list'
      : report.sctList === 'malformed'
        ? bad(`embedded SCT list is malformed: ${report.sctListError}`)
        : `${report.scts.filter((s) => s.source === 'embedded').length} embedded`;
  const delivered = report.scts.filter((s) => s.source !== 'embedded').length;
  out.push(span`${bold('SCTs')}  ${listLine}${delivered ? `, ${delivered} delivered beside the certificate` : ''}`);
  if (report.scts.length) out.push(...sctTable(report.scts));
  out.push('');

  const list = report.logList;
  const age =
    list.ageDays === null
      ? 'no timestamp'
      : list.ageDays < 0
        ? `dated ${list.timestamp!.slice(0, 10)}, after the evaluation time`
        : `${list.ageDays} days old${list.stale ? ', stale' : ''}`;
  const sources = list.sources
    .map((s) => (s.version ? `v${s.version}${s.signed ? '' : ' (unsigned)'}` : s.source))
    .join(' + ');
  out.push(span`${bold('Policies')}  ${dim(`at ${utc(report.evaluatedAt)}, log list ${sources} (${age})`)}`);
  const { chrome, apple, firefox } = report.policies;
  for (const [name, result] of [
    ['Chrome', chrome],
    ['Apple', apple],
    ['Firefox', firefox],
  ] as const) {
    out.push(...policyLines(name, result));
  }
  // The core's reasons say why (a code, neutral text); the CLI words the remedy, once.
  const aboutTheList = (code: string) => code === 'log-list-stale' || code === 'log-list-undated';
  const stale = Object.values(report.policies).some((p) => p.details.some((d) => aboutTheList(d.code)));
  if (stale) {
    const why = `The log list is over ${MAX_LOG_LIST_AGE_DAYS} days old (or undated), so verdicts are unknown`;
    out.push(warn(`  ${why}: run \`ctlens loglist --update\`.`));
  }
  for (const note of report.notes) out.push(warn(`Note: ${note}`));
  return out;
}

function sctTable(scts: readonly SctReport[]): Text[] {
  const rows = scts.map((s) => [
    String(s.position),
    s.source,
    s.status,
    s.log?.description ?? (s.logId ? `unknown log ${s.logId}` : '-'),
    s.log?.operator ?? '-',
    s.log?.state ?? '-',
    s.timestamp === null ? '-' : utc(s.timestamp),
    s.leafIndex === null ? '-' : String(s.leafIndex),
  ]);
  const header = ['#', 'Source', 'Status', 'Log', 'Operator', 'Log state', 'Timestamp (UTC)', 'Index'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => shownLength(r[i]!))));
  // Cells padded to their column and two spaces apart; the last cell is not padded.
  const line = (cells: readonly string[], paint: (cell: string, i: number) => Text = (cell) => cell): Text[] => [
    '  ',
    ...cells.map((cell, i) =>
      i === cells.length - 1 ? paint(cell, i) : span`${paint(cell, i)}${pad('', widths[i]! - shownLength(cell))}  `,
    ),
  ];
  const out: Text[] = [dim(line(header))];
  rows.forEach((row, i) => {
    const sct = scts[i]!;
    out.push(line(row, (cell, column) => (column === 2 ? statusStyle(sct.status)(cell) : cell)));
    if (sct.detail) out.push(dim(`     ${sct.detail}`));
    if (sct.log?.mimic) {
      out.push(warn('     mimic log: its private key is public, so this SCT proves nothing and counts for no policy'));
    }
  });
  return out;
}

/** Green valid; yellow for SCTs nothing could be checked for (no issuer, a wrong one, no log key); else red. */
const UNCHECKED = new Set(['missing-issuer', 'wrong-issuer', 'unknown-log']);
const statusStyle = (status: string) => (status === 'valid' ? good : UNCHECKED.has(status) ? warn : bad);

function policyLines(name: string, result: PolicyResult): Text[] {
  const paint = result.verdict === 'compliant' ? good : result.verdict === 'not-compliant' ? bad : warn;
  const extra = result.wouldBe
    ? ` (rules alone: ${result.wouldBe})`
    : result.summary
      ? span` ${dim(result.summary)}`
      : '';
  const head = extra
    ? span`  ${name.padEnd(8)} ${paint(result.verdict.padEnd(14))}${extra}`
    : span`  ${name.padEnd(8)} ${paint(result.verdict)}`;
  return [head, ...result.reasons.map((reason) => `  ${' '.repeat(23)}- ${reason}`)];
}

export function renderLogLists(registry: LogRegistry, at: number): Text[] {
  const out: Text[] = [];
  const counts = new Map<string, number>();
  for (const log of registry.all()) {
    const key = `${log.state?.name ?? 'no state'}${log.type === 'tiled' ? ' (tiled)' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const list of registry.lists) {
    const dated =
      list.timestamp === undefined
        ? 'no timestamp'
        : `${utc(list.timestamp)}, ${Math.floor((at - list.timestamp) / DAY_MS)} days old`;
    const signed = list.signed ? 'signature verified' : 'unsigned';
    out.push(span`${bold(list.source)}  ${dated}, ${list.logCount} logs, ${signed}`);
    for (const skipped of list.skipped) out.push(warn(`  skipped: ${skipped}`));
  }
  out.push(`${registry.size} logs in use, by state:`);
  for (const [state, n] of [...counts].sort()) out.push(`  ${pad(state, 20)} ${n}`);
  const mimics = registry.mimics();
  if (mimics.length) {
    const count = `${mimics.length} mimic log${mimics.length === 1 ? '' : 's'}`;
    out.push(warn(`${count} (private keys public): SCTs verify, never count:`));
    for (const log of mimics) out.push(warn(`  ${describeMimic(log)}, from ${log.source}`));
  }
  if (logListFreshness(registry, at).stale) {
    const age = `over ${MAX_LOG_LIST_AGE_DAYS} days old (or undated)`;
    out.push(warn(`The newest list is ${age}: policy verdicts will be unknown. Run \`ctlens loglist --update\`.`));
  }
  return out;
}

/** The live host's line: is the chain trusted, does the leaf name the host (first, before the report). */
export function renderHost(host: HostCheck, port: number): Text[] {
  const name = `${host.name.includes(':') ? `[${host.name}]` : host.name}:${port}`;
  const head = span`${bold('Host')}  ${name}  `;
  if (host.chainTrusted && host.nameMatches) return [span`${head}${good('chain trusted, name matches')}`, ''];
  const failed = [host.chainTrusted ? '' : 'chain NOT trusted', host.nameMatches ? '' : 'name does NOT match']
    .filter(Boolean)
    .join(', ');
  return [
    span`${head}${bad(`${failed}: ${host.error ?? ''}`)}`,
    warn("  This may not be the host's certificate: whoever is on the path can present one they hold. Not exit 0."),
    '',
  ];
}

export function renderAudit(report: Report, audit: InclusionProofs, stateDir: string): Text[] {
  const out: Text[] = ['', span`${bold('Inclusion')}  ${dim(`tree heads kept in ${stateDir}`)}`];
  report.scts.forEach((sct, i) => {
    const r = audit.inclusion[i]!;
    const paint = r.status === 'included' ? good : r.status === 'not-included' ? bad : warn;
    const lead = `  ${String(sct.position).padEnd(2)} ${pad(sct.log?.description ?? '-', 32)} `;
    const status = r.treeSize === null ? paint(r.status) : span`${paint(r.status.padEnd(12))} tree ${r.treeSize}`;
    out.push(span`${lead}${status}`);
    out.push(dim(`     ${r.detail}`));
    const witnesses = witnessLine(r);
    if (witnesses) out.push(witnesses);
  });
  for (const alert of audit.alerts) {
    out.push(bad(`ALERT: split view in ${alert.log}: ${alert.detail}`));
    for (const head of alert.evidence) {
      const when = new Date(head.timestamp).toISOString();
      const from = head.from ? ` (${head.from})` : '';
      out.push(dim(`  signed head${from}: size ${head.treeSize}, root ${head.rootHash}, timestamp ${when}`));
    }
  }
  for (const note of audit.notes) out.push(warn(`Note: ${note}`));
  return out;
}

/** The witnesses behind an SCT's proof (c2sp.org/tlog-witness) and the quorum; nothing without a policy. */
function witnessLine(r: InclusionResult): Text | undefined {
  if (!r.quorum || r.quorum === 'no-policy') return undefined;
  const paint = r.quorum === 'met' ? good : bad;
  const each = (r.witnesses ?? []).map((w) => {
    const own = { verified: 'cosigned', invalid: 'bad cosignature', absent: 'not cosigned' }[w.cosignature];
    return `${w.name} ${own}, latest ${w.latest}${w.latestTreeSize === undefined ? '' : ` (size ${w.latestTreeSize})`}`;
  });
  const why = `${r.witnessDetail ? ` (${r.witnessDetail})` : ''}${each.length ? `: ${each.join('; ')}` : ''}`;
  return span`     witnesses: ${paint(`quorum ${r.quorum === 'met' ? 'met' : 'not met'}`)}${dim(why)}`;
}
