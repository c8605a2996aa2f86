/**
 * Every verified tree head per log, kept (the CLI in a state directory, the extension in its
 * storage), and checked against the ones seen before: two roots for one size, or a consistency
 * proof (RFC 9162 §2.1.4) that fails, is a split view — the log showing different histories —
 * and both signed heads are kept as evidence.
 *
 * The rules, as a monitor's user expects them:
 * - The heads kept are the history ctlens saw first. A head that contradicts it is evidence, never
 *   history: it is not kept as a head, so later heads are checked against the consistent ones.
 * - Each split view is kept (both signed heads) apart from the heads, at most MAX_SPLIT_VIEWS per
 *   log (the newest; the same pair of heads once), so ordinary heads never push it out.
 * - A log that split once stays flagged: every later audit of an SCT from it reports the kept
 *   split views again (`earlier: true`), whatever the log shows then, until the user removes them.
 */
import { fromBase64, toBase64, type Bytes } from '../bytes.js';
import { ProofError, verifyConsistency } from '../merkle/verify.js';
import type { SignedTreeHead } from '../logclient/tree-head.js';

export interface StoredHead {
  readonly treeSize: number;
  readonly timestamp: number;
  /** base64 */
  readonly rootHash: string;
  /** base64 of the TLS DigitallySigned; empty for a list's final_tree_head (the list is signed). */
  readonly signature: string;
  /** ms, when ctlens saw it. */
  readonly seenAt: number;
}

export interface HeadStore {
  /** The heads kept for the log, any order. */
  load(logId: string): Promise<StoredHead[]>;
  save(logId: string, heads: readonly StoredHead[]): Promise<void>;
  /** The split views kept for the log, oldest first. */
  loadSplitViews(logId: string): Promise<SplitViewAlert[]>;
  saveSplitViews(logId: string, alerts: readonly SplitViewAlert[]): Promise<void>;
}

/** A head kept as evidence; a witness split view's also carry the signed note and who showed it. */
export interface EvidenceHead extends StoredHead {
  /** The whole signed checkpoint note, which re-verifies on its own. */
  readonly note?: string;
  /** "log" (shown to this client) or "witness <name>". */
  readonly from?: string;
}

export interface SplitViewAlert {
  readonly type: 'split-view';
  readonly logId: string;
  readonly log: string;
  readonly detail: string;
  /** The policy's name of the witness whose cosigned checkpoint revealed it (src/witness/check.ts). */
  readonly witness?: string;
  /**
   * The two signed heads that cannot both be true: the kept head (or the witness's checkpoint) it
   * contradicts, then the one whose arrival revealed the split view (its seenAt is when ctlens caught it).
   */
  readonly evidence: readonly [EvidenceHead, EvidenceHead];
  /** Caught by an earlier audit and reported again from the store: the log stays flagged. */
  readonly earlier?: true;
}

export type ConsistencyProver = (first: number, second: number) => Promise<Bytes[]>;

const MAX_HEADS = 200;
/** Split views kept per log; the newest are kept. */
export const MAX_SPLIT_VIEWS = 50;

export const storedHead = (head: SignedTreeHead, seenAt: number): StoredHead => ({
  treeSize: head.treeSize,
  timestamp: head.timestamp,
  rootHash: toBase64(head.rootHash),
  signature: toBase64(head.signature),
  seenAt,
});

/**
 * Checks `head` against the heads kept for its log and keeps it when it fits; a split view is kept
 * as evidence instead (keepSplitView) and `head` is not kept. Returns the new alerts (a split view)
 * and notes (a consistency proof that could not be fetched: nothing proven either way).
 * Precondition: `head`'s signature was verified; calls for one log do not overlap.
 */
export async function recordTreeHead(
  store: HeadStore,
  log: { logId: string; description: string },
  head: StoredHead,
  prove: ConsistencyProver,
): Promise<{ alerts: SplitViewAlert[]; notes: string[] }> {
  const heads = await store.load(log.logId);
  const alert = async (other: StoredHead, detail: string): Promise<SplitViewAlert> => {
    const found: SplitViewAlert = {
      type: 'split-view',
      logId: log.logId,
      log: log.description,
      detail,
      evidence: [other, head],
    };
    await keepSplitView(store, found);
    return found;
  };
  const same = heads.find((h) => h.treeSize === head.treeSize);
  if (same) {
    if (same.rootHash !== head.rootHash) {
      return { alerts: [await alert(same, `two different roots for tree size ${head.treeSize}`)], notes: [] };
    }
    return { alerts: [], notes: [] };
  }
  const notes: string[] = [];
  const older = heads.filter((h) => h.treeSize < head.treeSize).sort((a, b) => b.treeSize - a.treeSize)[0];
  const newer = heads.filter((h) => h.treeSize > head.treeSize).sort((a, b) => a.treeSize - b.treeSize)[0];
  for (const [first, second] of [older ? [older, head] : undefined, newer ? [head, newer] : undefined].filter(
    (p): p is StoredHead[] => p !== undefined,
  )) {
    let proof: Bytes[];
    try {
      proof = await prove(first!.treeSize, second!.treeSize);
    } catch (e) {
      notes.push(`consistency ${first!.treeSize} → ${second!.treeSize} not checked: ${(e as Error).message}`);
      continue;
    }
    try {
      verifyConsistency(
        first!.treeSize,
        second!.treeSize,
        proof,
        fromBase64(first!.rootHash),
        fromBase64(second!.rootHash),
      );
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      const other = first === head ? second! : first!;
      const detail = `tree ${first!.treeSize} is not a prefix of tree ${second!.treeSize}: ${e.message}`;
      return { alerts: [await alert(other, detail)], notes };
    }
  }
  await store.save(log.logId, [...heads, head].sort((a, b) => a.treeSize - b.treeSize).slice(-MAX_HEADS));
  return { alerts: [], notes };
}

/** Two alerts are one split view when they hold the same two heads (size and root), in either order. */
export const splitViewKey = (alert: SplitViewAlert): string =>
  `${alert.logId} ${alert.evidence
    .map((h) => `${h.treeSize}:${h.rootHash}`)
    .sort()
    .join(' ')}`;

/**
 * Keeps `alert` with its log's split views (once per pair of heads; the first copy, with the time
 * it was first caught, stays), the newest MAX_SPLIT_VIEWS. Precondition: no overlapping call for the log.
 */
export async function keepSplitView(store: HeadStore, alert: SplitViewAlert): Promise<void> {
  const kept = await store.loadSplitViews(alert.logId);
  const key = splitViewKey(alert);
  if (kept.some((k) => splitViewKey(k) === key)) return;
  const { earlier: _, ...fresh } = alert;
  await store.saveSplitViews(alert.logId, [...kept, fresh].slice(-MAX_SPLIT_VIEWS));
}

/** The log's kept split views, as this audit's alerts: marked `earlier`, each detail saying when it was caught. */
export async function earlierSplitViews(store: HeadStore, logId: string): Promise<SplitViewAlert[]> {
  return (await store.loadSplitViews(logId)).map((alert) => {
    const caught = new Date(alert.evidence[1].seenAt).toISOString();
    const detail = `${alert.detail} (caught ${caught} by an earlier audit; the log stays flagged)`;
    return { ...alert, detail, earlier: true };
  });
}

/** An in-memory HeadStore (tests, and one-off runs). */
export class MemoryHeadStore implements HeadStore {
  readonly heads = new Map<string, StoredHead[]>();
  readonly splitViews = new Map<string, SplitViewAlert[]>();
  async load(logId: string): Promise<StoredHead[]> {
    return [...(this.heads.get(logId) ?? [])];
  }
  async save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    this.heads.set(logId, [...heads]);
  }
  async loadSplitViews(logId: string): Promise<SplitViewAlert[]> {
    return [...(this.splitViews.get(logId) ?? [])];
  }
  async saveSplitViews(logId: string, alerts: readonly SplitViewAlert[]): Promise<void> {
    this.splitViews.set(logId, [...alerts]);
  }
}
