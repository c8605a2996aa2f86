/**
 * A v3 log list (https://www.gstatic.com/ct/log_list/v3/log_list_schema.json) holding just the test
 * log, unsigned, for `ctlens verify --log-list` and the extension's extra log lists.
 */
import { toBase64 } from '../src/bytes.js';
import type { LocalCtLog } from './log.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface LogListOptions {
  /** The log's base URL (what startLocalLog returned). */
  readonly url: string;
  /** log_list_timestamp and the time the log became usable (ms); default now. */
  readonly at?: number;
  readonly operator?: string;
  /** 'rfc9162': the entry says `"ctlens_api": "rfc9162"` (ctlens's own key) so clients read /ct/v2/. */
  readonly api?: 'rfc6962' | 'rfc9162';
}

/**
 * The log's entry in a v3 list's `operators[].logs[]`, or for a tiled log `operators[].tiled_logs[]`
 * (submission and monitoring prefix both the base URL).
 */
export function logListEntry(log: LocalCtLog, options: LogListOptions): Record<string, unknown> {
  return {
    description: log.description,
    log_id: log.logIdBase64,
    key: toBase64(log.spki),
    ...(log.tiled ? { submission_url: options.url, monitoring_url: options.url } : { url: options.url }),
    // The usual 24 h: the test log merges within mergeDelayMs, far sooner.
    mmd: 86400,
    state: { usable: { timestamp: iso(options.at ?? Date.now()) } },
    log_type: 'test',
    ...(options.api ? { ctlens_api: options.api } : {}),
  };
}

/** A whole v3 list with one operator running the test log, as JSON text. */
export function logListJson(log: LocalCtLog, options: LogListOptions): string {
  const operator = options.operator ?? 'ctlens test';
  return JSON.stringify(
    {
      version: '1.0',
      log_list_timestamp: iso(options.at ?? Date.now()),
      operators: [
        {
          name: operator,
          email: ['ct@ctlens.test'],
          logs: log.tiled ? [] : [logListEntry(log, options)],
          tiled_logs: log.tiled ? [logListEntry(log, options)] : [],
        },
      ],
    },
    null,
    2,
  );
}
