/**
 * The logs known for a verification: one or more v3 lists (the first holding a log wins, so
 * list the newest first) plus extra logs given as bare keys.
 */
import { fromBase64, sha256, toBase64, type Bytes } from '../bytes.js';
import type { LogInfo, LogList } from './schema.js';

export interface LogListSummary {
  readonly source: string;
  readonly version?: string;
  readonly timestamp?: number;
  readonly logCount: number;
  /** True when the list's signature was verified (Google's key). */
  readonly signed: boolean;
  readonly skipped: readonly string[];
}

export class LogRegistry {
  private readonly byId = new Map<string, LogInfo>();
  readonly lists: readonly LogListSummary[];

  /** `lists` newest first; a log already known from an earlier list is not replaced. */
  constructor(lists: readonly { list: LogList; signed: boolean }[], extraLogs: readonly LogInfo[] = []) {
    for (const { list } of lists) for (const log of list.logs) if (!this.byId.has(log.logId)) this.byId.set(log.logId, log);
    for (const log of extraLogs) if (!this.byId.has(log.logId)) this.byId.set(log.logId, log);
    this.lists = lists.map(({ list, signed }) => ({
      source: list.source,
      version: list.version,
      timestamp: list.timestamp,
      logCount: list.logs.length,
      signed,
      skipped: list.skipped,
    }));
  }

  get(logId: Bytes | string): LogInfo | undefined {
    return this.byId.get(typeof logId === 'string' ? logId : toBase64(logId));
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<LogInfo> {
    return this.byId.values();
  }

  /**
   * The time the log states are current as of: the newest list timestamp. Undefined when no list
   * carries one (then freshness cannot be judged and policy verdicts are unknown).
   */
  get listTimestamp(): number | undefined {
    const times = this.lists.map((l) => l.timestamp).filter((t): t is number => t !== undefined);
    return times.length ? Math.max(...times) : undefined;
  }
}

/**
 * An extra log from a bare public key (SPKI DER): log id = SHA-256 of the key (RFC 6962 §3.2).
 * It has no state or operator, so it verifies SCTs but counts for no policy.
 */
export function logFromKey(spki: Bytes, source: string): LogInfo {
  const logId = toBase64(sha256(spki));
  return {
    logId,
    key: spki,
    description: `extra log ${logId.slice(0, 12)}… (${source})`,
    operator: `unknown operator (key ${logId.slice(0, 8)})`,
    previousOperators: [],
    type: 'rfc6962',
    source,
  };
}

export const logIdBytes = (log: LogInfo): Bytes => fromBase64(log.logId);
