/**
 * Proving one SCT's inclusion: did the log keep its promise to include the entry? A verified tree
 * head (or a ReadOnly log's final_tree_head from the signed list), then an inclusion proof for the
 * entry's leaf hash, verified against that head. The log's API is the LogReader's business.
 *
 * Outcomes: included (the proof verifies), not-included (a proof that does not verify, or the log
 * denies the entry after its maximum merge delay), pending (not found yet, younger than the MMD),
 * unavailable (unreachable, rate-limited, no URL: never misissuance), error (a malformed answer).
 */
import { fromBase64, toBase64, type Bytes } from '../bytes.js';
import type { LogInfo } from '../loglist/schema.js';
import { LogHttpError } from '../logclient/http.js';
import type { LogReader } from '../logclient/reader.js';
import type { SignedTreeHead } from '../logclient/tree-head.js';
import { ProofError, RootMismatchError, verifyInclusion } from '../merkle/verify.js';
import type { SctV1 } from '../sct/types.js';
import type { QuorumVerdict, WitnessCheck, WitnessResult } from '../witness/check.js';
import { storedHead, type StoredHead } from './tree-heads.js';

type InclusionStatus = 'included' | 'not-included' | 'pending' | 'unavailable' | 'error';

export interface InclusionResult {
  readonly status: InclusionStatus;
  /** The tree the proof was checked against. */
  readonly treeSize: number | null;
  readonly checkedAt: string;
  readonly detail: string;
  readonly leafIndex?: number;
  /** True when the log itself misbehaved (a proof that does not verify, a denial after the MMD). */
  readonly misbehaved?: boolean;
  /** The tree head the proof was checked against (signature empty for a list's final_tree_head). */
  readonly treeHead?: StoredHead;
  /** The audit path the log gave, base64, leaf to root. */
  readonly auditPath?: readonly string[];
  /**
   * The witness policy's witnesses behind the tree head the log showed (c2sp.org/tlog-witness;
   * src/witness/check.ts): which cosigned it, and what each one's latest checkpoint says. Empty
   * without a policy. Set by proveInclusion for every SCT.
   */
  readonly witnesses?: readonly WitnessResult[];
  /** Whether the witnesses vouching for that head meet the policy's quorum; 'no-policy' without one. */
  readonly quorum?: QuorumVerdict;
  /** Why the quorum is what it is, when no witness was asked (no head shown, a list's final head). */
  readonly witnessDetail?: string;
}

/** A tree head the log showed and signed: its get-sth head, and a static-ct-api log's checkpoint note. */
export interface ShownHead {
  readonly sth: SignedTreeHead;
  readonly note?: Bytes;
}

export interface ProveContext {
  readonly client: LogReader;
  /** Evaluation time, ms. */
  readonly at: number;
  /**
   * Called with every verified tree head — get-sth's, and any the log sends beside a proof (RFC
   * 9162 §5.4) — so the store checks each for consistency and split views.
   */
  readonly onTreeHead: (head: StoredHead) => Promise<void>;
  /** The witnesses of the head the log showed (a witness policy was given); the proof is checked meanwhile. */
  readonly witnesses?: (shown: ShownHead) => Promise<WitnessCheck>;
}

/** Logs that keep the checkpoint note they served (StaticCtClient). */
interface CheckpointReader {
  getCheckpoint(): Promise<{ readonly head: SignedTreeHead; readonly note: Bytes }>;
}

const keepsNotes = (client: LogReader): client is LogReader & CheckpointReader =>
  typeof (client as Partial<CheckpointReader>).getCheckpoint === 'function';

/** RFC 6962 §3: logs promise to merge within their MMD, 24 h unless the list says otherwise. */
const DEFAULT_MMD_S = 86_400;

/**
 * Precondition: `sct`'s signature verified over the entry whose leaf hash (RFC 6962 §3.4) is
 * `leafHash` (SignedLeaf), so the log promised exactly that leaf.
 */
export async function proveSctInclusion(
  sct: SctV1,
  leafHash: Bytes,
  log: LogInfo,
  context: ProveContext,
): Promise<InclusionResult> {
  const checkedAt = new Date(context.at).toISOString();
  const result = (status: InclusionStatus, detail: string, extra: Partial<InclusionResult> = {}): InclusionResult => ({
    status,
    treeSize: null,
    checkedAt,
    detail,
    ...extra,
  });
  const mmdMs = (log.mmd ?? DEFAULT_MMD_S) * 1000;
  const youngerThanMmd = context.at - sct.timestamp < mmdMs;
  try {
    const { head, shown } = await treeHead(log, context);
    if (!context.witnesses) return await proveAgainst(head);
    if (!shown) {
      const witnessDetail = "the proof is checked against the log list's final tree head: no witness is asked about it";
      return { ...(await proveAgainst(head)), witnesses: [], quorum: 'not-met', witnessDetail };
    }
    const [outcome, witnessed] = await Promise.all([proveAgainst(head), context.witnesses(shown)]);
    return { ...outcome, witnesses: witnessed.witnesses, quorum: witnessed.quorum };
  } catch (e) {
    if (e instanceof LogHttpError) {
      const status: InclusionStatus = e.kind === 'malformed' ? 'error' : 'unavailable';
      return result(status, e.message);
    }
    throw e;
  }

  async function proveAgainst(head: StoredHead): Promise<InclusionResult> {
    // A ReadOnly log's final tree will never grow: nothing is pending there.
    const frozen = head.signature === '';
    const pending = !frozen && youngerThanMmd;
    if (pending && (head.treeSize === 0 || head.timestamp < sct.timestamp)) {
      return result(
        'pending',
        `the log's newest tree (size ${head.treeSize}) predates the SCT, ` +
          `which is within the log's ${mmdMs / 1000} s MMD`,
        { treeSize: head.treeSize },
      );
    }
    let answer: Awaited<ReturnType<LogReader['getInclusionProof']>>;
    try {
      const beside = (sth: SignedTreeHead) => context.onTreeHead(storedHead(sth, context.at));
      answer = await context.client.getInclusionProof(leafHash, head.treeSize, sct.leafIndex, beside);
    } catch (e) {
      if (e instanceof LogHttpError && e.kind === 'not-found') {
        if (pending)
          return result(
            'pending',
            `not in tree ${head.treeSize} yet; the SCT is within the log's ${mmdMs / 1000} s MMD`,
            { treeSize: head.treeSize },
          );
        const why = frozen
          ? `its final tree (size ${head.treeSize}, the log is ReadOnly)`
          : `tree ${head.treeSize}, after its ${mmdMs / 1000} s MMD`;
        return result('not-included', `the log denies the entry in ${why}`, {
          treeSize: head.treeSize,
          misbehaved: true,
        });
      }
      throw e;
    }
    const evidence = { treeHead: head, auditPath: answer.auditPath.map((h) => toBase64(h)) };
    try {
      verifyInclusion(answer.leafIndex, head.treeSize, leafHash, answer.auditPath, fromBase64(head.rootHash));
    } catch (e) {
      if (e instanceof RootMismatchError) {
        return result(
          'not-included',
          `the inclusion proof for leaf ${answer.leafIndex} does not verify: ${e.message}`,
          { treeSize: head.treeSize, leafIndex: answer.leafIndex, misbehaved: true, ...evidence },
        );
      }
      if (e instanceof ProofError)
        return result('error', `the log's inclusion proof is malformed: ${e.message}`, { treeSize: head.treeSize });
      throw e;
    }
    return result(
      'included',
      `leaf ${answer.leafIndex} of tree ${head.treeSize} (tree head of ${new Date(head.timestamp).toISOString()})`,
      { treeSize: head.treeSize, leafIndex: answer.leafIndex, ...evidence },
    );
  }
}

/**
 * A ReadOnly log proves against its final_tree_head (from the signed list: no head shown); others
 * against a fresh, verified STH (with a tiled log's checkpoint note, as witnesses cosign it).
 */
async function treeHead(log: LogInfo, context: ProveContext): Promise<{ head: StoredHead; shown?: ShownHead }> {
  const final = log.state?.finalTreeHead;
  if (log.state?.name === 'readonly' && final) {
    let root: Uint8Array | undefined;
    try {
      root = fromBase64(final.rootHash);
    } catch {
      root = undefined;
    }
    if (root?.length !== 32)
      throw new LogHttpError(
        'malformed',
        `${log.description}: the log list's final_tree_head root is not a 32-byte base64 hash`,
      );
    return {
      head: {
        treeSize: final.treeSize,
        timestamp: log.state.since,
        rootHash: final.rootHash,
        signature: '',
        seenAt: context.at,
      },
    };
  }
  const client = context.client;
  const shown: ShownHead = keepsNotes(client)
    ? await client.getCheckpoint().then(({ head: sth, note }) => ({ sth, note }))
    : { sth: await client.getTreeHead() };
  const head = storedHead(shown.sth, context.at);
  await context.onTreeHead(head);
  return { head, shown };
}
