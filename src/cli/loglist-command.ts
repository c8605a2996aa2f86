/** `ctlens loglist [--update] [--url <all_logs_list.json URL>] [--json]`: the log lists in use; exits 0. */
import { parse } from './args.js';
import type { Cli } from './command.js';
import { configDir } from './config.js';
import { UsageError } from './errors.js';
import { LogLists, updateLogList } from './log-lists.js';
import { renderLogLists } from './render-text.js';
import { logListFreshness } from '../loglist/freshness.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export async function loglistCommand(args: readonly string[], { term, env }: Cli): Promise<number> {
  const options = { update: { type: 'boolean' }, url: { type: 'string' }, json: { type: 'boolean' } } as const;
  const { values } = parse(args, options, 0);
  const dir = configDir(env);
  const warn = (l: string) => term.error(`ctlens: warning: ${l}`);
  if (values.url !== undefined && !values.update) throw new UsageError('--url goes with --update');
  if (values.update) {
    const fetched = await updateLogList(dir, values.url, warn);
    const { version, logs } = fetched.list;
    term.error(`ctlens: stored log list v${version} (${logs.length} logs, signature verified) in ${dir}`);
  }
  const registry = await LogLists.forRun({ env, logListFiles: [], extraLogs: [], warn }).all();
  const at = Date.now();
  if (values.json) {
    const states: Record<string, number> = {};
    for (const log of registry.all()) states[log.state?.name ?? 'none'] = (states[log.state?.name ?? 'none'] ?? 0) + 1;
    const ts = registry.listTimestamp;
    const freshness = logListFreshness(registry, at);
    term.json({
      lists: registry.lists.map((l) => ({ ...l, timestamp: l.timestamp === undefined ? null : iso(l.timestamp) })),
      timestamp: ts === undefined ? null : new Date(ts).toISOString(),
      ageDays: freshness.ageDays,
      stale: freshness.stale,
      logs: registry.size,
      states,
    });
  } else term.lines(renderLogLists(registry, at));
  return 0;
}
