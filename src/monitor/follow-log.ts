/**
 * One round of following one log: fetch its signed tree head, check it against the head kept
 * from before, read the entries up to it and match them, and prove the entries are the tree the
 * log signed. In order, each failure an alert with its evidence (and the log is not read again
 * until its state is reset):
 *   1. the head's signature verifies under the log's key (else bad-signature);
 *   2. against the kept head: one size with two roots is a split-view; otherwise the log's
 *      consistency proof between the two (RFC 9162 §2.1.4.2, either way round) must verify
 *      (else inconsistent);
 *   3. the compact range (src/merkle/compact-range.ts), extended by the leaf hash of every entry
 *      read, must have the head's root once it reaches the head's size (else root-mismatch).
 * Entries are committed a window at a time with the range and the position, in one transaction
 * (FollowStore); an entry counts as verified, and may be reported, only below `verifiedSize`.
 */
import { equalBytes as rootsEqual, toBase64, type Bytes } from '../bytes.js';
import type { SignedTreeHead } from '../logclient/tree-head.js';
import { CompactRange } from '../merkle/compact-range.js';
import { ProofError, verifyConsistency } from '../merkle/verify.js';
import { matchEntry, type MonitorEntry } from './entry.js';
import { describeEntry, type Described } from './finding.js';
import { BadSignatureError, RangeMismatchError, type HeadAnswer, type LogSource } from './log-source.js';
import type { Hit, Watchlist } from './patterns.js';

/** What is kept per log between rounds and runs. */
export interface LogCursor {
  /** Entries read: the range's size. */
  readonly size: number;
  readonly range: CompactRange;
  /** Entries below this are proven part of a tree the log signed. */
  readonly verifiedSize: number;
  /** The latest head whose signature verified and that is consistent with the one before. */
  readonly head: SignedTreeHead | undefined;
}

export interface Match {
  readonly entry: Pick<MonitorEntry, 'index' | 'timestamp' | 'type'>;
  readonly hit: Hit;
  readonly described: Described;
}

export interface Alert {
  readonly kind: 'split-view' | 'bad-signature' | 'root-mismatch' | 'inconsistent';
  readonly detail: string;
  readonly evidence: Record<string, unknown>;
}

export interface FollowStore {
  /** Keeps the cursor and the window's matches together (one transaction). */
  commit(cursor: LogCursor, matches: readonly Match[]): void;
  /** Keeps the alert and stops the log (one transaction). */
  alert(alert: Alert): void;
}

export interface FollowOptions {
  readonly watchlist: Watchlist;
  /** Hex SHA-256 values (certificate, key, TBS) never reported. */
  readonly authorized: ReadonlySet<string>;
  /** With no cursor: read from entry 0 rather than from the current head. */
  readonly fromStart: boolean;
  readonly store: FollowStore;
  /** Called after each window: entries read so far, and where this round ends. */
  readonly progress?: (size: number, target: number) => void;
  /** An entry whose names could not be read. */
  readonly unreadable?: (index: number, problem: string) => void;
}

export type RoundOutcome =
  | { readonly status: 'ok'; readonly read: number }
  | { readonly status: 'alert'; readonly alert: Alert };

const headJson = (head: SignedTreeHead, answer?: string) => ({
  treeSize: head.treeSize,
  timestamp: head.timestamp,
  rootHash: toBase64(head.rootHash),
  signature: toBase64(head.signature),
  ...(answer === undefined ? {} : { answer }),
});

/** One round. Errors other than misbehaviour (unavailable, malformed answers) are thrown. */
export async function followLog(
  source: LogSource,
  saved: LogCursor | undefined,
  options: FollowOptions,
): Promise<RoundOutcome> {
  const raise = (alert: Alert): RoundOutcome => {
    options.store.alert(alert);
    return { status: 'alert', alert };
  };
  let answer: HeadAnswer;
  try {
    answer = await source.treeHead();
  } catch (e) {
    if (!(e instanceof BadSignatureError)) throw e;
    return raise({ kind: 'bad-signature', detail: e.message, evidence: { answer: e.answer } });
  }
  const { head } = answer;
  if (!saved) {
    if (options.fromStart) {
      saved = { size: 0, range: CompactRange.empty(), verifiedSize: 0, head: undefined };
    } else {
      let range: CompactRange;
      try {
        range = await source.rangeAt(head);
      } catch (e) {
        if (!(e instanceof RangeMismatchError)) throw e;
        return raise(rootMismatch(e.message, head, answer.answer, e.computed));
      }
      options.store.commit({ size: head.treeSize, range, verifiedSize: head.treeSize, head }, []);
      return { status: 'ok', read: 0 };
    }
  }
  const checked = await checkAgainstKept(source, saved.head, answer);
  if ('kind' in checked) return raise(checked);
  const target = checked.target;
  let cursor: LogCursor = { ...saved, head: target };
  if (cursor.size >= target.treeSize) {
    if (target !== saved.head) options.store.commit(cursor, []);
    return { status: 'ok', read: 0 };
  }
  const range = saved.range.copy();
  const startSize = saved.size;
  for await (const window of source.entries(saved.size, target.treeSize, target.treeSize)) {
    const matches: Match[] = [];
    for (const entry of window) {
      if (entry.index !== range.size) throw new Error(`${source.log.description}: entry ${entry.index} out of order`);
      range.append(entry.leafHash);
      const found = matchEntry(entry, options.watchlist);
      if ('unreadable' in found && found.unreadable !== undefined) options.unreadable?.(entry.index, found.unreadable);
      if (!found.hit) continue;
      const described = describeSafely(entry);
      if (described.hashes.some((h) => options.authorized.has(h))) continue;
      const { index, timestamp, type } = entry;
      matches.push({ entry: { index, timestamp, type }, hit: found.hit, described });
    }
    const done = range.size === target.treeSize;
    if (done && !rootsEqual(range.root(), target.rootHash)) {
      options.store.commit({ ...cursor, size: range.size, range: range.copy() }, matches);
      const what = `entries ${startSize}..${range.size - 1} do not hash to the root the log signed for ${range.size}`;
      return raise(rootMismatch(`${source.log.description}: ${what}`, target, answer.answer, range.root(), startSize));
    }
    const verifiedSize = done ? range.size : cursor.verifiedSize;
    cursor = { ...cursor, size: range.size, range: range.copy(), verifiedSize };
    options.store.commit(cursor, matches);
    options.progress?.(range.size, target.treeSize);
  }
  if (range.size !== target.treeSize) {
    throw new Error(`${source.log.description}: the entries stopped at ${range.size}`);
  }
  return { status: 'ok', read: range.size - startSize };
}

/** The head to read up to, or the alert: see step 2 above. */
async function checkAgainstKept(
  source: LogSource,
  kept: SignedTreeHead | undefined,
  answer: HeadAnswer,
): Promise<{ target: SignedTreeHead } | Alert> {
  const head = answer.head;
  if (!kept) return { target: head };
  const log = source.log.description;
  if (head.treeSize === kept.treeSize) {
    if (rootsEqual(head.rootHash, kept.rootHash)) return { target: kept };
    return {
      kind: 'split-view',
      detail: `${log}: two signed tree heads for size ${head.treeSize} with different roots`,
      evidence: { kept: headJson(kept), new: headJson(head, answer.answer) },
    };
  }
  const [older, newer] = head.treeSize < kept.treeSize ? [head, kept] : [kept, head];
  if (older.treeSize > 0) {
    const proof = await source.consistency(older.treeSize, newer.treeSize);
    try {
      verifyConsistency(older.treeSize, newer.treeSize, proof, older.rootHash, newer.rootHash);
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      return {
        kind: 'inconsistent',
        detail: `${log}: the tree of ${newer.treeSize} does not extend the tree of ${older.treeSize}: ${e.message}`,
        evidence: { kept: headJson(kept), new: headJson(head, answer.answer), proof: proof.map(toBase64) },
      };
    }
  }
  // A smaller head is an older one (logs behind load balancers serve them): read up to the kept one.
  return { target: newer };
}

function rootMismatch(detail: string, head: SignedTreeHead, answer: string, computed: Bytes, from?: number): Alert {
  const evidence = {
    head: headJson(head, answer),
    computedRoot: toBase64(computed),
    ...(from === undefined ? {} : { from }),
  };
  return { kind: 'root-mismatch', detail, evidence };
}

/** describeEntry, or for a certificate only its names could be read, what can be said of it. */
function describeSafely(entry: MonitorEntry): Described {
  try {
    return describeEntry(entry);
  } catch (e) {
    const unreadable = `(unreadable: ${(e as Error).message})`;
    const certificate = {
      sha256: null,
      subject: unreadable,
      issuer: unreadable,
      serialNumber: '',
      notBefore: '',
      notAfter: '',
      subjectAltNames: [],
    };
    const precertificate = entry.type === 'precert_entry';
    return { key: `entry:${toBase64(entry.leafHash)}`, certificate, precertificate, hashes: [] };
  }
}
