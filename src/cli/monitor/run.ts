/**
 * The monitor's rounds: report what an earlier run left unreported, then, every `interval`, read
 * each log up to its current head (all logs at once, each within its own Throttle) and report the
 * alerts and findings. `--once` stops after one round. The exit code: 3 when a log misbehaved (an
 * alert this run, or a log stopped by an earlier one), else 1 when a log could not be read to its
 * head (unavailable, malformed answers), else 0.
 */
import { LogHttp, LogHttpError } from '../../logclient/http.js';
import type { LogInfo } from '../../loglist/schema.js';
import { followLog } from '../../monitor/follow-log.js';
import { logSource, type LogSource } from '../../monitor/log-source.js';
import type { Watchlist } from '../../monitor/patterns.js';
import { Throttle } from '../../monitor/throttle.js';
import type { Terminal } from '../terminal.js';
import { Progress } from './progress.js';
import { reportPending } from './report.js';
import type { MonitorState } from './state.js';

export interface RunOptions {
  readonly logs: readonly LogInfo[];
  readonly state: MonitorState;
  readonly watchlist: Watchlist;
  readonly authorized: ReadonlySet<string>;
  readonly fromStart: boolean;
  readonly once: boolean;
  readonly intervalMs: number;
  readonly json: boolean;
  readonly exec?: string;
  readonly term: Terminal;
  /** Raw stderr for the progress line, when it is a terminal (and not --json). */
  readonly progress?: (text: string) => void;
}

/** Answers of up to 64 MiB (a get-entries of 1000 entries with their chains is a few MiB). */
const HTTP_POLICY = { timeoutMs: 30_000, retries: 0, backoffMs: 0, maxBytes: 64 * 1024 * 1024 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Entries whose names could not be read, told per log per run. */
const MAX_UNREADABLE_TOLD = 5;

export async function runMonitor(options: RunOptions): Promise<number> {
  const { state, term, json } = options;
  const warn = (line: string) => term.error(`ctlens: warning: ${line}`);
  const http = new LogHttp(HTTP_POLICY);
  const sources = options.logs.map((log) => {
    const tiled = log.type === 'tiled';
    const throttle = new Throttle({
      maxInFlight: tiled ? 8 : 4,
      maxAttempts: 8,
      backoffMs: 1000,
      maxBackoffMs: 60_000,
      now: Date.now,
      sleep,
    });
    return logSource(log, { http, throttle, ahead: tiled ? 8 : 4 });
  });
  const report = { term, json, exec: options.exec, warn };
  let alerts = (await reportPending(state, report)).alerts;
  let failed = false;
  const unreadable = new Map<string, number>();
  for (;;) {
    const progress = new Progress(options.progress);
    const outcomes = await Promise.all(sources.map((source) => round(source, progress)));
    progress.done();
    failed = failed || outcomes.includes('error');
    const reported = await reportPending(state, report);
    alerts += reported.alerts;
    const read = outcomes.filter((o) => typeof o === 'number').reduce((a, b) => a + (b as number), 0);
    // Each --once run, and a round of a long run that read or reported anything.
    if (!json && (options.once || read > 0 || reported.findings > 0 || reported.alerts > 0)) {
      const count = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
      const entries = `${read} ${read === 1 ? 'entry' : 'entries'} read`;
      const found = `${count(reported.findings, 'finding')}, ${count(reported.alerts, 'alert')}`;
      term.error(`ctlens monitor: ${entries}, ${found}`);
    }
    if (options.once) break;
    await sleep(options.intervalMs);
  }
  const halted = options.logs.some((log) => state.haltedBy(log.logId) !== undefined);
  return alerts > 0 || halted ? 3 : failed ? 1 : 0;

  /** One log's round: entries read, 'alert', 'halted' or 'error'. */
  async function round(source: LogSource, progress: Progress): Promise<number | 'alert' | 'halted' | 'error'> {
    const log = source.log;
    const stoppedBy = state.haltedBy(log.logId);
    if (stoppedBy) {
      const since = new Date(stoppedBy.at).toISOString();
      term.error(
        `ctlens: ${log.description}: not read: ${stoppedBy.kind} alert #${stoppedBy.id} of ${since} ` +
          `(ctlens monitor --reset-log ${log.logId} to read it again)`,
      );
      return 'halted';
    }
    try {
      const outcome = await followLog(source, state.cursor(log.logId), {
        watchlist: options.watchlist,
        authorized: options.authorized,
        fromStart: options.fromStart,
        store: state.store(log.logId, log.description),
        progress: (size, target) => progress.update(log.logId, size, target),
        unreadable: (index, problem) => {
          const told = (unreadable.get(log.logId) ?? 0) + 1;
          unreadable.set(log.logId, told);
          const name = log.description;
          if (told <= MAX_UNREADABLE_TOLD) warn(`${name} entry ${index}: its names cannot be read: ${problem}`);
          else if (told === MAX_UNREADABLE_TOLD + 1) warn(`${name}: more entries whose names cannot be read`);
        },
      });
      return outcome.status === 'ok' ? outcome.read : 'alert';
    } catch (e) {
      const message = e instanceof LogHttpError ? e.message : `internal error: ${(e as Error).message}`;
      term.error(`ctlens: ${log.description}: ${message}`);
      return 'error';
    }
  }
}
