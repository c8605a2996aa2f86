/**
 * `ctlens monitor --watch <pattern>... [--watch-file <file>]... [--log-list <file>]... [--state-dir <dir>]
 *                [--from-start] [--once] [--json] [--exec <command>] [--interval <seconds>]
 *                [--authorize <sha256 | file>]... [--reset-log <log id>]...`
 * Watches the logs of the log list in use (usable, qualified and readonly ones) for certificates
 * naming the patterns, straight from the logs, verifying every tree head and the tree itself
 * (src/monitor/follow-log.ts); state in SQLite (./monitor/state.ts). Exit codes: 0 done, 1 a log
 * could not be read to its head, 2 bad usage or unreadable input, 3 a log misbehaved (an alert).
 */
import { join } from 'node:path';
import type { LogInfo } from '../loglist/schema.js';
import { Watchlist } from '../monitor/patterns.js';
import { parse } from './args.js';
import type { Cli } from './command.js';
import { configDir } from './config.js';
import { UsageError } from './errors.js';
import { readLogList } from './inputs.js';
import { LogLists } from './log-lists.js';
import { readAuthorized, readPatterns } from './monitor/inputs.js';
import { runMonitor } from './monitor/run.js';
import { MonitorState } from './monitor/state.js';

const MONITORED_STATES = new Set(['usable', 'qualified', 'readonly']);

/** --interval: seconds, a number > 0 (fractions allowed), default 60. */
function intervalMs(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > 86_400 * 7) {
    throw new UsageError(`--interval: "${text}" is not a number of seconds above 0 (and at most a week)`);
  }
  return Math.round(seconds * 1000);
}

/** The logs to watch: usable, qualified or readonly, reachable by an API the monitor reads. */
function monitoredLogs(all: readonly LogInfo[], warn: (line: string) => void): LogInfo[] {
  return all.filter((log) => {
    if (!log.state || !MONITORED_STATES.has(log.state.name)) return false;
    if (log.type === 'rfc6962' && log.api === 'rfc9162') {
      warn(`${log.description}: RFC 9162 logs are not monitored yet; skipped`);
      return false;
    }
    return log.type === 'tiled' ? log.monitoringUrl !== undefined : log.url !== undefined;
  });
}

export async function monitorCommand(args: readonly string[], { term, env }: Cli): Promise<number> {
  const { values } = parse(
    args,
    {
      watch: { type: 'string', multiple: true },
      'watch-file': { type: 'string', multiple: true },
      'log-list': { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      'from-start': { type: 'boolean' },
      once: { type: 'boolean' },
      json: { type: 'boolean' },
      exec: { type: 'string' },
      interval: { type: 'string' },
      authorize: { type: 'string', multiple: true },
      'reset-log': { type: 'string', multiple: true },
    },
    0,
  );
  const interval = intervalMs(values.interval);
  if (values.exec !== undefined && values.exec.trim() === '') throw new UsageError('--exec: the command is empty');
  const patterns = await readPatterns(values.watch ?? [], values['watch-file'] ?? []);
  const authorized = await readAuthorized(values.authorize ?? []);
  const logListFiles = await Promise.all((values['log-list'] ?? []).map(readLogList));
  const json = values.json === true;
  const warn = (line: string) => term.error(`ctlens: warning: ${line}`);
  const quietWarn = json ? () => undefined : warn;
  const registry = await LogLists.forRun({ env, logListFiles, extraLogs: [], warn: quietWarn }).all();
  const logs = monitoredLogs([...registry.all()], quietWarn);
  if (logs.length === 0) throw new UsageError('no usable, qualified or readonly log to watch in the log lists in use');
  const state = MonitorState.open(values['state-dir'] ?? join(configDir(env), 'monitor'));
  try {
    for (const id of values['reset-log'] ?? []) {
      const log = logs.find((l) => l.logId === id || l.description === id);
      if (!state.resetLog(log?.logId ?? id)) throw new UsageError(`--reset-log: no state kept for a log "${id}"`);
      if (!json) term.error(`ctlens: ${log?.description ?? id}: state reset; it is read again from its current head`);
    }
    const tty = !json && process.stderr.isTTY === true;
    return await runMonitor({
      logs,
      state,
      watchlist: new Watchlist(patterns),
      authorized,
      fromStart: values['from-start'] === true,
      once: values.once === true,
      intervalMs: interval,
      json,
      exec: values.exec,
      term,
      progress: tty ? (text) => process.stderr.write(text) : undefined,
    });
  } finally {
    state.close();
  }
}
