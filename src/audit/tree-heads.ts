/**
 * Every verified tree head per log, kept (the CLI in a state directory, the extension in its
 * storage), and checked against the ones seen before: two roots for one size, or a consistency
 * proof that fails, is a split view — the log showing different histories — and both signed
 * heads are kept as evidence.
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
  load(logId: string): Promise<StoredHead[]>;
  save(logId: string, heads: readonly StoredHead[]): Promise<void>;
}

export interface SplitViewAlert {
  readonly type: 'split-view';
  readonly logId: string;
  readonly log: string;
  readonly detail: string;
  /** The two signed heads that cannot both be true. */
  readonly evidence: readonly [StoredHead, StoredHead];
}

export type ConsistencyProver = (first: number, second: number) => Promise<Bytes[]>;

const MAX_HEADS = 200;

export const storedHead = (head: SignedTreeHead, seenAt: number): StoredHead => ({
  treeSize: head.treeSize,
  timestamp: head.timestamp,
  rootHash: toBase64(head.rootHash),
  signature: toBase64(head.signature),
  seenAt,
});

/**
 * Checks `head` against the heads kept for its log and keeps it when it fits. Returns the alerts
 * (a split view) and notes (a consistency proof that could not be fetched: nothing proven either way).
 */
export async function recordTreeHead(
  store: HeadStore,
  log: { logId: string; description: string },
  head: StoredHead,
  prove: ConsistencyProver,
): Promise<{ alerts: SplitViewAlert[]; notes: string[] }> {
  const heads = await store.load(log.logId);
  const alert = (other: StoredHead, detail: string): SplitViewAlert => ({ type: 'split-view', logId: log.logId, log: log.description, detail, evidence: [other, head] });
  const same = heads.find((h) => h.treeSize === head.treeSize);
  if (same) {
    if (same.rootHash !== head.rootHash) return { alerts: [alert(same, `two different roots for tree size ${head.treeSize}`)], notes: [] };
    return { alerts: [], notes: [] };
  }
  const notes: string[] = [];
  const older = heads.filter((h) => h.treeSize < head.treeSize).sort((a, b) => b.treeSize - a.treeSize)[0];
  const newer = heads.filter((h) => h.treeSize > head.treeSize).sort((a, b) => a.treeSize - b.treeSize)[0];
  for (const [first, second] of [older ? [older, head] : undefined, newer ? [head, newer] : undefined].filter((p): p is StoredHead[] => p !== undefined)) {
    let proof: Bytes[];
    try {
      proof = await prove(first!.treeSize, second!.treeSize);
    } catch (e) {
      notes.push(`consistency ${first!.treeSize} → ${second!.treeSize} not checked: ${(e as Error).message}`);
      continue;
    }
    try {
      verifyConsistency(first!.treeSize, second!.treeSize, proof, fromBase64(first!.rootHash), fromBase64(second!.rootHash));
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      const other = first === head ? second! : first!;
      return { alerts: [alert(other, `tree ${first!.treeSize} is not a prefix of tree ${second!.treeSize}: ${e.message}`)], notes };
    }
  }
  await store.save(log.logId, [...heads, head].sort((a, b) => a.treeSize - b.treeSize).slice(-MAX_HEADS));
  return { alerts: [], notes };
}

/** An in-memory HeadStore (tests, and one-off runs). */
export class MemoryHeadStore implements HeadStore {
  readonly heads = new Map<string, StoredHead[]>();
  async load(logId: string): Promise<StoredHead[]> {
    return [...(this.heads.get(logId) ?? [])];
  }
  async save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    this.heads.set(logId, [...heads]);
  }
}
