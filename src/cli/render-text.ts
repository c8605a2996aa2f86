/** The human-readable rendering of a report: certificate, SCT table, policy verdicts. */
import type { Report, SctReport } from '../report.js';
import type { PolicyResult } from '../policy/types.js';
import type { LogRegistry } from '../loglist/registry.js';
import type { ChainAudit } from '../audit/audit-chain.js';

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly good: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly warn: (s: string) => string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLOR: Style = { bold: ansi(1), dim: ansi(2), good: ansi(32), bad: ansi(31), warn: ansi(33) };
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, good: id, bad: id, warn: id };

const utc = (ms: number | string): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');

export function renderReport(report: Report, style: Style): string {
  const out: string[] = [];
  const c = report.certificate;
  const lifetimeDays = (Date.parse(c.notAfter) - Date.parse(c.notBefore)) / 86_400_000;
  out.push(style.bold(c.isPrecertificate ? 'Precertificate' : 'Certificate'));
  const field = (name: string, value: string) => out.push(`  ${name.padEnd(10)} ${value}`);
  field('Subject', c.subject || '(empty)');
  if (c.subjectAltNames.length) field('SANs', c.subjectAltNames.slice(0, 6).join(', ') + (c.subjectAltNames.length > 6 ? `, … (${c.subjectAltNames.length} in all)` : ''));
  field('Issuer', c.issuer);
  field('Serial', c.serialNumber);
  const evaluated = Date.parse(report.evaluatedAt);
  const when = evaluated > Date.parse(c.notAfter) ? style.warn(' expired') : evaluated < Date.parse(c.notBefore) ? style.warn(' not yet valid') : '';
  field('Validity', `${utc(c.notBefore)} → ${utc(c.notAfter)} (${Math.round(lifetimeDays * 100) / 100} days)${when}`);
  field('Key', c.publicKey);
  field('SHA-256', c.sha256);
  if (!report.issuer) out.push(style.warn('  No issuer certificate given: embedded SCTs cannot be checked (use --issuer or a PEM chain).'));
  out.push('');

  const listLine =
    report.sctList === 'absent' ? 'no embedded SCT list' :
    report.sctList === 'malformed' ? style.bad(`embedded SCT list is malformed: ${report.sctListError}`) :
    `${report.scts.filter((s) => s.source === 'embedded').length} embedded`;
  const delivered = report.scts.filter((s) => s.source !== 'embedded').length;
  out.push(`${style.bold('SCTs')}  ${listLine}${delivered ? `, ${delivered} delivered beside the certificate` : ''}`);
  if (report.scts.length) out.push(...sctTable(report.scts, style));
  out.push('');

  const list = report.logList;
  const age =
    list.ageDays === null ? 'no timestamp' :
    list.ageDays < 0 ? `dated ${list.timestamp!.slice(0, 10)}, after the evaluation time` :
    `${list.ageDays} days old${list.stale ? ', stale' : ''}`;
  const sources = list.sources.map((s) => s.version ? `v${s.version}${s.signed ? '' : ' (unsigned)'}` : s.source).join(' + ');
  out.push(`${style.bold('Policies')}  ${style.dim(`at ${utc(report.evaluatedAt)}, log list ${sources} (${age})`)}`);
  for (const [name, result] of [['Chrome', report.policies.chrome], ['Apple', report.policies.apple], ['Firefox', report.policies.firefox]] as const) {
    out.push(...policyLines(name, result, style));
  }
  if (list.stale) out.push(style.warn('  The log list is over 70 days old, so verdicts are unknown: run `ctlens loglist --update`.'));
  for (const note of report.notes) out.push(style.warn(`Note: ${note}`));
  return out.join('\n') + '\n';
}

function sctTable(scts: readonly SctReport[], style: Style): string[] {
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [style.dim(line(header))];
  rows.forEach((row, i) => {
    const sct = scts[i]!;
    const text = line(row);
    const colored = text.replace(` ${sct.status} `, ` ${statusStyle(sct.status, style)(sct.status)} `);
    out.push(colored);
    if (sct.detail) out.push(style.dim(`     ${sct.detail}`));
  });
  return out;
}

const statusStyle = (status: string, style: Style) =>
  status === 'valid' ? style.good : status === 'missing-issuer' || status === 'unknown-log' ? style.warn : style.bad;

function policyLines(name: string, result: PolicyResult, style: Style): string[] {
  const paint = result.verdict === 'compliant' ? style.good : result.verdict === 'not-compliant' ? style.bad : style.warn;
  const head = `  ${name.padEnd(8)} ${paint(result.verdict.padEnd(14))}`;
  const extra = result.wouldBe ? ` (rules alone: ${result.wouldBe})` : result.summary ? ` ${style.dim(result.summary)}` : '';
  const lines = [`${head}${extra}`.trimEnd()];
  for (const reason of result.reasons) lines.push(`  ${' '.repeat(23)}- ${reason}`);
  return lines;
}

export function renderLogLists(registry: LogRegistry, at: number, style: Style): string {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const log of registry.all()) {
    const key = `${log.state?.name ?? 'no state'}${log.type === 'tiled' ? ' (tiled)' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const list of registry.lists) {
    const age = list.timestamp === undefined ? 'no timestamp' : `${Math.floor((at - list.timestamp) / 86_400_000)} days old`;
    out.push(`${style.bold(list.source)}  ${list.timestamp === undefined ? '' : utc(list.timestamp) + ', '}${age}, ${list.logCount} logs, ${list.signed ? 'signature verified' : 'unsigned'}`);
    for (const skipped of list.skipped) out.push(style.warn(`  skipped: ${skipped}`));
  }
  out.push(`${registry.size} logs in use, by state:`);
  for (const [state, n] of [...counts].sort()) out.push(`  ${state.padEnd(20)} ${n}`);
  const ts = registry.listTimestamp;
  if (ts === undefined || at - ts > 70 * 86_400_000) {
    out.push(style.warn('The newest list is over 70 days old (or undated): policy verdicts will be unknown. Run `ctlens loglist --update`.'));
  }
  return out.join('\n') + '\n';
}

export function renderAudit(report: Report, audit: ChainAudit, stateDir: string, style: Style): string {
  const out = ['', `${style.bold('Inclusion')}  ${style.dim(`tree heads kept in ${stateDir}`)}`];
  report.scts.forEach((sct, i) => {
    const r = audit.inclusion[i]!;
    const paint = r.status === 'included' ? style.good : r.status === 'not-included' ? style.bad : style.warn;
    out.push(`  ${String(sct.position).padEnd(2)} ${(sct.log?.description ?? '-').padEnd(32)} ${paint(r.status.padEnd(12))} ${r.treeSize === null ? '' : `tree ${r.treeSize}`}`.trimEnd());
    out.push(style.dim(`     ${r.detail}`));
  });
  for (const alert of audit.alerts) {
    out.push(style.bad(`ALERT: split view in ${alert.log}: ${alert.detail}`));
    for (const head of alert.evidence) out.push(style.dim(`  signed head: size ${head.treeSize}, root ${head.rootHash}, timestamp ${new Date(head.timestamp).toISOString()}`));
  }
  for (const note of audit.notes) out.push(style.warn(`Note: ${note}`));
  return out.join('\n') + '\n';
}
