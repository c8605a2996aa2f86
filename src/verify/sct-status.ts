/** The outcome of checking one SCT. */
import type { SctSource } from '../sct/types.js';
import type { EntryType } from '../sct/signed-data.js';
import type { LogInfo } from '../loglist/schema.js';
import type { DecodedSct } from '../sct/types.js';
import type { SignedLeaf } from './signed-leaf.js';

/**
 * An SCT's status is about its signature only; the log's state is reported beside it and judged
 * by the policies.
 * - valid: the signature verified with the log's key, and the timestamp is not in the future.
 * - invalid-signature: the signature does not verify (or is not a well-formed signature).
 * - unknown-log: no key is known for the log id.
 * - unsupported-version: an SCT version other than v1; its body cannot be read.
 * - unsupported-algorithm: a hash or signature algorithm RFC 6962 does not allow, one that does
 *   not match the log's key, or a log key of an unsupported kind.
 * - future-timestamp: a valid signature over a timestamp later than the evaluation time.
 * - malformed: the SCT's bytes do not decode.
 * - missing-issuer: an embedded (precert_entry) SCT that cannot be checked without the issuer
 *   certificate, none being given. Neither valid nor invalid.
 * - wrong-issuer: a certificate was given as the issuer, but it did not issue the leaf (its name,
 *   its signature on the leaf or its key identifier says so), and the SCT does not verify over
 *   the entry rebuilt from it. The chain given is wrong, not the SCT: neither valid nor invalid.
 * - unverifiable: an SCT known only by fields that omit part of what was signed (Chromium's
 *   DevTools give no SCT extensions, which tiled logs always sign). Neither valid nor invalid.
 */
export type SctStatus =
  | 'valid'
  | 'invalid-signature'
  | 'unknown-log'
  | 'unsupported-version'
  | 'unsupported-algorithm'
  | 'future-timestamp'
  | 'malformed'
  | 'missing-issuer'
  | 'wrong-issuer'
  | 'unverifiable';

export interface SctResult {
  readonly source: SctSource;
  /** Position within its source (1-based), for people. */
  readonly position: number;
  readonly status: SctStatus;
  /** Why, in one sentence, when not valid. */
  readonly detail?: string;
  readonly sct: DecodedSct;
  /** The entry type the signature was checked over. */
  readonly entryType?: EntryType;
  /** The log, when the list knows it (also for invalid SCTs). */
  readonly log?: LogInfo;
  /**
   * The entry the signature verified over and its leaf hash (RFC 6962 §3.4): present exactly when
   * the signature verified (valid, future-timestamp). For the inclusion proof; the report people
   * read and the extension stores never includes it (report.ts picks its fields one by one).
   */
  readonly leaf?: SignedLeaf;
}
