/**
 * A CT log's checkpoint, opened with every key the verifier knows for the log: its log list key as
 * static-ct-api's RFC6962NoteSignature (key name: the origin), and the policy's `log` vkeys named
 * by the origin (tlog-policy, "Defining a log": the key name is the log's origin), such as the
 * Ed25519 cosignature/v1 key a log signs its checkpoints with for witnesses. signed-note,
 * "Signatures": at least one known key must verify and any known key's signature that fails
 * rejects the note; other signatures (witnesses, GREASE) are ignored here.
 */
import { concatBytes, fromBase64, toBase64, toHex, type Bytes } from '../bytes.js';
import {
  CheckpointError,
  parseCheckpointBody,
  parseRfc6962NoteSignature,
  parseSignedNote,
  rfc6962KeyId,
  type Checkpoint,
  type SignedNote,
} from '../logclient/checkpoint.js';
import type { SignedTreeHead } from '../logclient/tree-head.js';
import type { LogInfo } from '../loglist/schema.js';
import { checkKnownKeys } from '../note/known-keys.js';
import type { SignatureTools } from '../note/note-signature.js';
import { noteKeyId, TYPE_BYTE, type Vkey } from '../note/vkey.js';
import { encodeUint } from '../tls.js';

export interface LogCheckpoint {
  /** The note as received (or as rebuilt from a get-sth head): evidence that re-verifies on its own. */
  readonly text: string;
  readonly note: SignedNote;
  readonly checkpoint: Checkpoint;
  /** From the log's RFC6962NoteSignature, when the note has a verified one. */
  readonly rfc6962?: { readonly timestamp: number; readonly signature: Bytes };
}

/** The log list key as a vkey for the origin (static-ct-api, "Checkpoints"; transparency-dev's SPKI encoding). */
export function rfc6962Vkey(origin: string, log: LogInfo): Vkey {
  const keyId = noteKeyId(origin, 'rfc6962', log.key);
  const text = `${origin}+${toHex(keyId)}+${toBase64(concatBytes(Uint8Array.of(TYPE_BYTE.rfc6962), log.key))}`;
  return { text, name: origin, keyId, type: 'rfc6962', publicKey: log.key };
}

/**
 * static-ct-api, "Checkpoints": a get-sth head as the checkpoint a tiled log would serve (origin,
 * size, root; one RFC6962NoteSignature line: timestamp ‖ the TreeHeadSignature).
 */
export function checkpointFromTreeHead(origin: string, head: SignedTreeHead): string {
  const keyId = rfc6962KeyId(origin, fromBase64(head.logId));
  const signature = concatBytes(keyId, encodeUint(head.timestamp, 8), head.signature);
  return `${origin}\n${head.treeSize}\n${toBase64(head.rootHash)}\n\n\u2014 ${origin} ${toBase64(signature)}\n`;
}

/**
 * Parses and verifies `note` as the log's checkpoint for `origin` with `keys` (rfc6962Vkey first,
 * then the policy's). Throws CheckpointError naming what is wrong.
 */
export async function openLogCheckpoint(
  note: Bytes | string,
  origin: string,
  keys: readonly Vkey[],
  tools: SignatureTools,
): Promise<LogCheckpoint> {
  const text = typeof note === 'string' ? note : decode(note);
  const signed = parseSignedNote(text);
  const checkpoint = parseCheckpointBody(signed.text);
  if (checkpoint.origin !== origin) {
    throw new CheckpointError(`the checkpoint origin "${checkpoint.origin}" is not the log's "${origin}"`);
  }
  const verdicts = await checkKnownKeys(signed, keys, tools);
  for (const v of verdicts) {
    if (v.status === 'invalid') {
      throw new CheckpointError(`the log's ${v.key.type} signature (${v.key.name}): ${v.reason}`);
    }
  }
  if (!verdicts.some((v) => v.status === 'signed')) {
    const ids = keys.map((k) => `${k.type} ${toHex(k.keyId)}`).join(', ');
    throw new CheckpointError(`no signature from the log's keys (key name "${origin}": ${ids})`);
  }
  const rfc = verdicts.find((v) => v.status === 'signed' && v.key.type === 'rfc6962');
  if (!rfc) return { text, note: signed, checkpoint };
  const line = signed.signatures.find((s) => s.name === rfc.key.name && toHex(s.keyId) === toHex(rfc.key.keyId))!;
  const { timestamp, treeHeadSignature } = parseRfc6962NoteSignature(line.signature);
  return { text, note: signed, checkpoint, rfc6962: { timestamp, signature: treeHeadSignature } };
}

function decode(bytes: Bytes): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CheckpointError('the note is not UTF-8');
  }
}
