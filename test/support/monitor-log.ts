/**
 * A real local CT log (log/) on loopback for the monitor's tests, with a v3 log list file
 * naming it, and `ctlens monitor` run in-process (runCli) against it with its own state directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli, type CliResult } from './cli.js';

export interface MonitoredLog {
  readonly log: LocalCtLog;
  readonly server: LocalLogServer;
  /** The v3 log list file naming only this log. */
  readonly listFile: string;
  close(): Promise<void>;
}

export async function startMonitoredLog(
  dir: string,
  options: { tiled?: boolean; name?: string } = {},
): Promise<MonitoredLog> {
  const log = new LocalCtLog({ tiled: options.tiled === true, description: options.name });
  const server = await startLocalLog(log);
  const listFile = join(dir, `${log.logIdBase64.replace(/[^a-z0-9]/gi, '').slice(0, 12)}.json`);
  writeFileSync(listFile, logListJson(log, { url: server.url }));
  return { log, server, listFile, close: () => server.close() };
}

/** A fresh directory for one test's state and files; removed by the returned function. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-monitor-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `ctlens monitor --once --json` with these arguments, its JSON lines parsed. */
export async function monitorOnce(args: readonly string[], stateDir: string): Promise<CliResult & { lines: any[] }> {
  const result = await runCli(['monitor', '--once', '--json', '--state-dir', stateDir, ...args]);
  const lines = result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  return { ...result, lines };
}
