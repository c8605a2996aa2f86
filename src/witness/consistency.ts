/**
 * How the log's checkpoint shown to this client relates to the one a witness cosigned: the same
 * tree head, a prefix of it (the witness saw this tree and more), an extension of it, or two
 * histories — a split view, caught by the log's own consistency proof (RFC 9162 §2.1.4) failing
 * or by two roots for one size. Both checkpoints are signed by the log, so a split view is
 * evidence against it.
 */
import { equalBytes, sha256, toBase64, type Bytes } from '../bytes.js';
import type { Checkpoint } from '../logclient/checkpoint.js';
import { ProofError, verifyConsistency } from '../merkle/verify.js';
import type { ConsistencyProver } from '../inclusion/tree-heads.js';

export type Relation =
  /** Same size and root. */
  | 'same'
  /** The witness's tree is larger and the shown one is proven a prefix of it. */
  | 'ahead'
  /** The witness's tree is smaller and proven a prefix of the shown one. */
  | 'behind'
  | 'split-view'
  /** The log's consistency proof could not be fetched: nothing proven either way. */
  | 'unchecked';

/** RFC 6962 §2.1: the hash of an empty list is the hash of an empty string. */
const EMPTY_ROOT = sha256(new Uint8Array(0));

/** Relates the shown checkpoint to the witness's. Throws only what `prove` throws that is not an Error. */
export async function relate(
  shown: Checkpoint,
  witnessed: Checkpoint,
  prove: ConsistencyProver,
): Promise<{ relation: Relation; detail: string }> {
  for (const [cp, whose] of [
    [shown, 'shown'],
    [witnessed, "witness's"],
  ] as const) {
    if (cp.treeSize === 0 && !equalBytes(cp.rootHash, EMPTY_ROOT)) {
      return { relation: 'split-view', detail: `the ${whose} checkpoint has size 0 but not the empty tree's root` };
    }
  }
  if (shown.treeSize === witnessed.treeSize) {
    if (equalBytes(shown.rootHash, witnessed.rootHash)) {
      return { relation: 'same', detail: `the same tree head (size ${shown.treeSize})` };
    }
    const roots = `${toBase64(shown.rootHash)} shown, ${toBase64(witnessed.rootHash)} witnessed`;
    return { relation: 'split-view', detail: `two different roots for tree size ${shown.treeSize} (${roots})` };
  }
  const [first, second] = shown.treeSize < witnessed.treeSize ? [shown, witnessed] : [witnessed, shown];
  const relation = first === shown ? 'ahead' : 'behind';
  let proof: Bytes[] = [];
  // The empty tree is a prefix of every tree: no proof needed (tlog-witness, add-checkpoint).
  if (first.treeSize > 0) {
    try {
      proof = await prove(first.treeSize, second.treeSize);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      const detail = `consistency ${first.treeSize} → ${second.treeSize} not checked: ${e.message}`;
      return { relation: 'unchecked', detail };
    }
  }
  try {
    verifyConsistency(first.treeSize, second.treeSize, proof, first.rootHash, second.rootHash);
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    const detail = `tree ${first.treeSize} is not a prefix of tree ${second.treeSize}: ${e.message}`;
    return { relation: 'split-view', detail };
  }
  const detail =
    relation === 'ahead'
      ? `cosigned tree ${witnessed.treeSize}, which the shown tree ${shown.treeSize} is proven a prefix of`
      : `cosigned tree ${witnessed.treeSize}, proven a prefix of the shown tree ${shown.treeSize}`;
  return { relation, detail };
}
