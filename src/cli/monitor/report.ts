/**
 * Reporting what the monitor found: alerts first, then findings, each as human lines or one JSON
 * object a line (--json), and each finding's JSON on the standard input of --exec's command.
 *
 * Order against kill -9: a finding's entries were committed before (state.ts); each alert and
 * each finding is written (one write(2) to stdout) inside its own transaction that marks it
 * reported, just before its commit. A run killed before the write reports it again on resume, one
 * killed after the commit never does; only a kill in the microseconds between the write and the
 * commit (a WAL append) repeats it. One report a write keeps that window small when the reader
 * stops reading: a write of at most PIPE_BUF (4096) bytes to a full pipe blocks before any of it
 * is out (POSIX write(2)), so the report it blocks on is neither out nor marked, where one write of
 * everything would block with part of it out and none of it marked. With --exec, a finding is
 * marked after its command exited 0: a run killed while the command runs runs it again (at least
 * once). Each finding carries a stable `id` (its key and entry count) so that a consumer can drop
 * such a repeat.
 */
import { spawn } from 'node:child_process';
import { bad, bold, dim, span, terminal, type Terminal, type Text } from '../terminal.js';
import type { MonitorState, PendingFinding, ReportedEntry, StoredAlert } from './state.js';

export interface ReportOptions {
  readonly term: Terminal;
  readonly json: boolean;
  /** A shell command run per finding, the finding's JSON on its standard input. */
  readonly exec?: string;
  readonly warn: (line: string) => void;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const entryJson = (e: ReportedEntry) => ({
  logId: e.logId,
  log: e.log,
  index: e.index,
  timestamp: e.timestamp,
  entryType: e.entryType,
});

function findingJson(f: PendingFinding): Record<string, unknown> {
  return {
    type: 'match',
    id: `${f.key}/${f.entries.length}`,
    watched: f.watched,
    names: f.names,
    certificate: f.certificate,
    precertificate: f.precertificate,
    entries: f.entries.map(entryJson),
    // Reported before with fewer entries (a precertificate, or another log's copy): these are new.
    update: f.entries.length > f.fresh.length,
    newEntries: f.fresh.map(entryJson),
  };
}

const alertJson = (a: StoredAlert) => ({
  type: 'alert',
  kind: a.kind,
  logId: a.logId,
  log: a.log,
  detail: a.detail,
  evidence: a.evidence,
  at: iso(a.at),
});

function findingLines(f: PendingFinding) {
  const c = f.certificate;
  const what = f.precertificate ? 'precertificate' : 'certificate';
  const entries = f.entries.map((e) => `${e.log} #${e.index} (${iso(e.timestamp)}, ${e.entryType})`);
  const more = f.fresh.length < f.entries.length ? '  (new entries of a finding reported before)' : '';
  return [
    span`${bold('match')} ${f.names.join(', ')}  ${dim(`watching ${f.watched.join(', ')}`)}${more}`,
    `  ${what} ${c.subject}, issued by ${c.issuer}`,
    `  serial ${c.serialNumber}, valid ${c.notBefore} to ${c.notAfter}${c.sha256 ? `, sha256 ${c.sha256}` : ''}`,
    `  names ${c.subjectAltNames.join(' ') || '(none)'}`,
    ...entries.map((e) => `  in ${e}`),
  ];
}

const alertLines = (a: StoredAlert) => [
  span`${bad(bold(`ALERT ${a.kind}`))} ${a.log}: ${a.detail}`,
  `  evidence ${JSON.stringify(a.evidence)}`,
];

/** One value as the single line Terminal.jsonLine writes (its escaping), for writing with others at once. */
function jsonLineText(value: unknown): string {
  let text = '';
  terminal({ stdout: (t) => (text += t), stderr: () => undefined }, false).jsonLine(value);
  return text.slice(0, -1);
}

/**
 * Reports every alert and finding not reported yet; returns how many of each. Each is written in
 * one write and marked in a transaction whose commit follows that write at once
 * (state.reportAtomically); with --exec, a finding once its command exited 0.
 */
export async function reportPending(
  state: MonitorState,
  options: ReportOptions,
): Promise<{ alerts: number; findings: number }> {
  const { term, json } = options;
  const alerts = state.pendingAlerts();
  const findings = state.pendingFindings();
  const lines = (f: PendingFinding): Text[] => (json ? [jsonLineText(findingJson(f))] : findingLines(f));
  for (const alert of alerts) {
    const out = json ? [jsonLineText(alertJson(alert))] : alertLines(alert);
    state.reportAtomically([alert.id], [], () => term.lines(out));
  }
  let reported = 0;
  for (const finding of findings) {
    if (options.exec !== undefined) {
      const code = await runExec(options.exec, `${JSON.stringify(findingJson(finding))}\n`);
      if (code !== 0) {
        options.warn(`--exec exited with ${code} for ${finding.names.join(', ')}: reported again next time`);
        continue;
      }
    }
    state.reportAtomically([], finding.fresh, () => term.lines(lines(finding)));
    reported++;
  }
  return { alerts: alerts.length, findings: reported };
}

/** Runs `command` with the shell, `input` on its standard input; its exit code (-1: it could not run or was killed). */
function runExec(command: string, input: string): Promise<number> {
  return new Promise((resolve) => {
    // Its output goes to stderr: stdout is the report's (one JSON object a line with --json).
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 2, 2] });
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
    child.stdin!.on('error', () => undefined); // a command that does not read its input
    child.stdin!.end(input);
  });
}
