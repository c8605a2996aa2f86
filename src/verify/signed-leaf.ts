/**
 * What a verified SCT promises: the log will include the entry its signature covers (RFC 6962 §3),
 * as the MerkleTreeLeaf of §3.4. Carried on the SCT result, so that the inclusion proof asks the
 * log for exactly the entry the signature was checked over, never a second rebuild of it.
 */
import type { Bytes } from '../bytes.js';
import { sctLeafHash } from '../merkle/hash.js';
import type { SignedEntry } from '../sct/signed-data.js';
import type { SctV1 } from '../sct/types.js';

export class SignedLeaf {
  #leafHash: Bytes | undefined;

  /** Precondition: `sct`'s signature verified over `entry`. */
  constructor(
    readonly sct: SctV1,
    /** entry_type ‖ signed_entry (RFC 6962 §3.2); one object for every SCT over the same entry. */
    readonly entry: SignedEntry,
  ) {}

  /**
   * SHA-256(0x00 ‖ MerkleTreeLeaf) (RFC 6962 §2.1, §3.4), with the SCT's timestamp and extensions.
   * Computed on first use: only an inclusion proof needs it, and verification stays one hash lighter.
   */
  get leafHash(): Bytes {
    return (this.#leafHash ??= sctLeafHash(this.sct, this.entry));
  }
}
