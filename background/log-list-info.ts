/** What the options page shows about the log lists in use: sources, age, staleness, the last update. */
import { logListFreshness } from '../src/loglist/freshness.js';
import type { BrowserApi } from './browser-api.js';
import type { ExtensionLogLists } from './log-lists.js';
import type { LogListInfo } from './messages.js';

const iso = (ms: number | undefined | null) => (ms === undefined || ms === null ? null : new Date(ms).toISOString());

export async function logListInfo(logLists: ExtensionLogLists, now: BrowserApi['now']): Promise<LogListInfo> {
  const [{ registry, extraLogProblems }, status] = await Promise.all([logLists.registry(), logLists.status()]);
  const timestamp = registry.listTimestamp;
  const { ageDays, stale } = logListFreshness(registry, now());
  return {
    sources: registry.lists.map((l) => ({
      source: l.source,
      version: l.version ?? null,
      timestamp: iso(l.timestamp),
      signed: l.signed,
      logs: l.logCount,
    })),
    timestamp: iso(timestamp),
    ageDays,
    stale,
    logs: registry.size,
    lastUpdate: iso(status.lastUpdate),
    lastUpdateError: status.lastError,
    extraLogProblems,
  };
}
