/**
 * What the audit needs from a log, whatever API it speaks: RFC 6962 (/ct/v1/), static-ct-api
 * (tiles), RFC 9162 (/ct/v2/). Every method verifies what it can (signatures, shapes, lengths)
 * and throws LogHttpError: 'not-found' when the log does not have the entry, 'malformed' for a
 * bad answer, 'unavailable' / 'rate-limited' when it cannot be reached.
 */
import type { Bytes } from '../bytes.js';
import type { SignedTreeHead } from './tree-head.js';

export interface InclusionAnswer {
  readonly leafIndex: number;
  readonly auditPath: readonly Bytes[];
}

/** Takes a tree head whose signature was verified. */
export type TreeHeadSink = (head: SignedTreeHead) => Promise<void>;

export interface LogReader {
  /** The log's current tree head, its signature verified with the log's key. */
  getTreeHead(): Promise<SignedTreeHead>;
  /**
   * An inclusion proof for `leafHash` in the tree of `treeSize` leaves. `leafIndex` is the SCT's
   * static-ct-api leaf_index, when it has one (tiled logs cannot look leaves up by hash).
   * `onTreeHead` gets every verified tree head the log sends beside the proof (RFC 9162 §5.4),
   * before the answer is checked further, so the caller can record it even when it is refused.
   */
  getInclusionProof(
    leafHash: Bytes,
    treeSize: number,
    leafIndex?: number,
    onTreeHead?: TreeHeadSink,
  ): Promise<InclusionAnswer>;
  /** A consistency proof between two tree sizes. */
  getConsistency(first: number, second: number): Promise<Bytes[]>;
}
