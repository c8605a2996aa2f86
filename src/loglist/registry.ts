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

export interface RegistryList {
  readonly list: LogList;
  readonly signed: boolean;
  /**
   * A supplementary list (the extension's extra logs for private and test logs): it vouches only
   * for its own logs' states; the freshness of everything else is the primary lists'.
   */
  readonly supplementary?: boolean;
}

export class LogRegistry {
  private readonly byId = new Map<string, LogInfo>();
  private readonly supplementaryIds = new Set<string>();
  readonly lists: readonly LogListSummary[];
  /** The newest log_list_timestamp among the primary (non-supplementary) lists. */
  readonly primaryTimestamp: number | undefined;

  /** `lists` newest first; a log already known from an earlier list is not replaced. */
  constructor(lists: readonly RegistryList[], extraLogs: readonly LogInfo[] = []) {
    for (const { list, supplementary } of lists) {
      for (const log of list.logs) {
        if (this.byId.has(log.logId)) continue;
        this.byId.set(log.logId, log);
        if (supplementary) this.supplementaryIds.add(log.logId);
      }
    }
    const primaryTimes = lists.filter((l) => !l.supplementary).map((l) => l.list.timestamp).filter((t): t is number => t !== undefined);
    this.primaryTimestamp = primaryTimes.length ? Math.max(...primaryTimes) : undefined;
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
   * The time the primary lists' log states are current as of (their newest timestamp). Undefined
   * when none carries one: then freshness cannot be judged and policy verdicts are unknown.
   */
  get listTimestamp(): number | undefined {
    return this.primaryTimestamp;
  }

  /**
   * How current what the registry says about `log` is: its supplementary list's timestamp, or
   * for every other listed log the primary lists' (a log a fresh primary list no longer carries is
   * gone, and the older list's record of it is final).
   */
  currentAsOf(log: LogInfo): number | undefined {
    return this.supplementaryIds.has(log.logId) ? log.listTimestamp : this.primaryTimestamp;
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
