/**
 * A signed note checked against the keys a verifier knows (c2sp.org/signed-note, "Signatures"):
 * signatures whose key name and key ID are not both a known key's are ignored; each one that is a
 * known key's MUST be verified. Per key the verdict says whether it signed the note.
 */
import { equalBytes } from '../bytes.js';
import type { SignedNote } from '../logclient/checkpoint.js';
import { checkNoteSignature, type SignatureTools } from './note-signature.js';
import type { Vkey } from './vkey.js';

export type KeyVerdict =
  /** Every signature line of the key verifies; `timestamp` is the first's (see SignatureCheck). */
  | { readonly key: Vkey; readonly status: 'signed'; readonly timestamp?: number }
  /** No signature line has the key's name and ID. */
  | { readonly key: Vkey; readonly status: 'absent' }
  /** A line with the key's name and ID does not verify: signed-note says to reject the whole note. */
  | { readonly key: Vkey; readonly status: 'invalid'; readonly reason: string };

/** The verdict of each key, in the order given. */
export async function checkKnownKeys(
  note: SignedNote,
  keys: readonly Vkey[],
  tools: SignatureTools,
): Promise<KeyVerdict[]> {
  return Promise.all(
    keys.map(async (key): Promise<KeyVerdict> => {
      const lines = note.signatures.filter((s) => s.name === key.name && equalBytes(s.keyId, key.keyId));
      if (lines.length === 0) return { key, status: 'absent' };
      let timestamp: number | undefined;
      for (const [i, line] of lines.entries()) {
        const check = await checkNoteSignature(key, line.signature, note.text, tools);
        if (!check.ok) return { key, status: 'invalid', reason: check.reason };
        if (i === 0) timestamp = check.timestamp;
      }
      return timestamp === undefined ? { key, status: 'signed' } : { key, status: 'signed', timestamp };
    }),
  );
}
