/**
 * The logs known for a verification: one or more v3 lists plus extra logs given as bare keys.
 * Trust (issue 7 §1): a list whose signature verified (Google's key) wins for every log it names;
 * an unsigned list (the extension's extra list, the CLI's --log-list files) may add logs no signed
 * list holds, never restate or change one. An unsigned list's final_tree_head is not used (the
 * audit then proves against a tree head the log itself signs), and when signed lists are in use an
 * unsigned list's date vouches only for its own logs.
 */
import { sha256, toBase64, type Bytes } from '../bytes.js';
import { mimicName } from './mimics.js';
import type { LogInfo, LogList } from './schema.js';

export interface LogListSummary {
  readonly source: string;
  readonly version?: string;
  readonly timestamp?: number;
  readonly logCount: number;
  /** True when the list's signature was verified (Google's key). */
  readonly signed: boolean;
  /**
   * What of this list is not used, each with its reason: entries the parser refused, entries a
   * signed list already holds, an unsigned list's final_tree_head.
   */
  readonly skipped: readonly string[];
}

export interface RegistryList {
  readonly list: LogList;
  /** Precondition: true only for a list whose signature verified (a SignedLogList, bundled.ts). */
  readonly signed: boolean;
}

export class LogRegistry {
  private readonly byId = new Map<string, LogInfo>();
  private readonly markedById = new Map<string, LogInfo>();
  /** Logs from unsigned lists beside signed ones: their own list's date is how current they are. */
  private readonly supplementaryIds = new Set<string>();
  readonly lists: readonly LogListSummary[];
  /**
   * The newest log_list_timestamp among the primary lists: the signed ones when any is in use,
   * else (the CLI's --log-list files alone) the unsigned lists the user vouches for.
   */
  readonly primaryTimestamp: number | undefined;

  /**
   * `lists` newest first (a log named by several lists of one kind comes from the first); every
   * signed list is read before any unsigned one, whatever the order.
   */
  constructor(lists: readonly RegistryList[], extraLogs: readonly LogInfo[] = []) {
    const signed = lists.filter((l) => l.signed);
    const unsigned = lists.filter((l) => !l.signed);
    const skipped = new Map(lists.map((l) => [l, [...l.list.skipped]]));
    for (const { list } of signed) {
      for (const log of list.logs) if (!this.byId.has(log.logId)) this.byId.set(log.logId, log);
    }
    const signedIds = new Set(this.byId.keys());
    for (const entry of unsigned) this.addUnsigned(entry.list, signedIds, signed.length > 0, skipped.get(entry)!);
    const primaryTimes = (signed.length ? signed : unsigned).flatMap((l) => l.list.timestamp ?? []);
    this.primaryTimestamp = primaryTimes.length ? Math.max(...primaryTimes) : undefined;
    for (const log of extraLogs) if (!this.byId.has(log.logId)) this.byId.set(log.logId, log);
    this.lists = lists.map((entry) => ({
      source: entry.list.source,
      version: entry.list.version,
      timestamp: entry.list.timestamp,
      logCount: entry.list.logs.length,
      signed: entry.signed,
      skipped: skipped.get(entry)!,
    }));
  }

  /** An unsigned list's logs that no signed list holds (`signedIds`); what is refused goes in `skipped`. */
  private addUnsigned(list: LogList, signedIds: ReadonlySet<string>, besideSigned: boolean, skipped: string[]): void {
    for (const log of list.logs) {
      const held = this.byId.get(log.logId);
      if (held && signedIds.has(log.logId)) {
        skipped.push(`${describe(log)}: ${held.source}, a signed list, holds this log; its entry is used, not this`);
      } else if (!held) {
        this.byId.set(log.logId, withoutFinalTreeHead(log, skipped));
        if (besideSigned) this.supplementaryIds.add(log.logId);
      } // else an earlier unsigned list's entry stands
    }
  }

  get(logId: Bytes | string): LogInfo | undefined {
    const log = this.byId.get(typeof logId === 'string' ? logId : toBase64(logId));
    return log && this.marked(log);
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<LogInfo> {
    return [...this.byId.values()].map((log) => this.marked(log)).values();
  }

  /** The mimic logs held (given on purpose: a --log-list file, extra logs), each marked `mimic`. */
  mimics(): LogInfo[] {
    return [...this.all()].filter((log) => log.mimic);
  }

  /**
   * `log` marked when it is one of Google's mimic logs (mimics.ts), so no policy counts its SCTs:
   * on first look-up (once per log), as a check looks up a few of the hundreds of logs held.
   */
  private marked(log: LogInfo): LogInfo {
    let found = this.markedById.get(log.logId);
    if (!found) {
      found = mimicName(log) ? { ...log, mimic: true } : log;
      this.markedById.set(log.logId, found);
    }
    return found;
  }

  /**
   * The time the primary lists' log states are current as of (their newest timestamp). Undefined
   * when none carries one: then freshness cannot be judged and policy verdicts are unknown.
   */
  get listTimestamp(): number | undefined {
    return this.primaryTimestamp;
  }

  /**
   * How current what the registry says about `log` is: for a log an unsigned list added beside
   * signed lists, that list's timestamp; for every other listed log the primary lists' (a log a
   * fresh primary list no longer carries is gone, and the older list's record of it is final).
   */
  currentAsOf(log: LogInfo): number | undefined {
    return this.supplementaryIds.has(log.logId) ? log.listTimestamp : this.primaryTimestamp;
  }
}

const describe = (log: LogInfo): string => `${log.description} (log id ${log.logId})`;

/** A ReadOnly log's final_tree_head is taken only from a signed list; `skipped` records why. */
function withoutFinalTreeHead(log: LogInfo, skipped: string[]): LogInfo {
  const state = log.state;
  if (!state?.finalTreeHead) return log;
  skipped.push(`${describe(log)}: final_tree_head not used, the list is unsigned; a tree head the log signs is used`);
  return { ...log, state: { name: state.name, since: state.since } };
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
