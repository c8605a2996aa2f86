/**
 * One note signature checked with one known key (c2sp.org/signed-note, "Signatures"), for each
 * signature type ctlens verifies: Ed25519 over the note text (0x01), tlog-cosignature's
 * cosignature/v1 (0x04) and subtree/v1 ML-DSA-44 (0x06) over the checkpoint, and static-ct-api's
 * RFC6962NoteSignature (0x05) with the log's key from its log list.
 * Precondition: the signature line's key name and key ID are the key's.
 */
import { equalBytes, utf8, type Bytes } from '../bytes.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import { CheckpointError, parseCheckpointBody, parseRfc6962NoteSignature } from '../logclient/checkpoint.js';
import { TreeHeadError, verifyTreeHead } from '../logclient/tree-head.js';
import type { LogInfo } from '../loglist/schema.js';
import {
  cosignatureV1Message,
  readTimestampedSignature,
  SIGNATURE_SIZE,
  subtreeV1Message,
} from './cosigned-message.js';
import type { Ed25519Verifier } from './ed25519.js';
import { verifyMlDsa44 } from './ml-dsa.js';
import type { Vkey } from './vkey.js';

export type SignatureCheck =
  /** `timestamp`: POSIX seconds for cosignatures (0: a subtree/v1 cosignature without one), ms for RFC 6962. */
  { readonly ok: true; readonly timestamp?: number } | { readonly ok: false; readonly reason: string };

export interface SignatureTools {
  readonly ed25519: Ed25519Verifier;
  /** For rfc6962 keys: WebCrypto ECDSA / RSA, and the log whose list entry holds the key. */
  readonly verifier: SignatureVerifier;
  readonly log?: LogInfo;
}

const fail = (reason: string): SignatureCheck => ({ ok: false, reason });

/** Verifies `signature` (the bytes after the key ID) over the note `text` with `key`. Never throws for bad input. */
export async function checkNoteSignature(
  key: Vkey,
  signature: Bytes,
  text: string,
  tools: SignatureTools,
): Promise<SignatureCheck> {
  switch (key.type) {
    case 'ed25519':
      if (await tools.ed25519.verify(key.publicKey, signature, utf8(text))) return { ok: true };
      return fail('the Ed25519 signature does not verify');
    case 'cosignature/v1': {
      const ts = readTimestampedSignature(signature, SIGNATURE_SIZE.ed25519);
      if (typeof ts === 'string') return fail(ts);
      const ok = await tools.ed25519.verify(key.publicKey, ts.signature, cosignatureV1Message(ts.timestamp, text));
      return ok ? { ok: true, timestamp: ts.timestamp } : fail('the cosignature/v1 signature does not verify');
    }
    case 'ml-dsa-44':
      return checkSubtreeV1(key, signature, text);
    case 'rfc6962':
      return checkRfc6962(key, signature, text, tools);
  }
}

/** tlog-cosignature, "ML-DSA-44 signed message", for a checkpoint: start 0, end its size, its root. */
function checkSubtreeV1(key: Vkey, signature: Bytes, text: string): SignatureCheck {
  const ts = readTimestampedSignature(signature, SIGNATURE_SIZE['ml-dsa-44']);
  if (typeof ts === 'string') return fail(ts);
  let checkpoint: ReturnType<typeof parseCheckpointBody>;
  try {
    checkpoint = parseCheckpointBody(text);
  } catch (e) {
    if (e instanceof CheckpointError) return fail(`an ML-DSA-44 cosignature signs a checkpoint: ${e.message}`);
    throw e;
  }
  const message = subtreeV1Message({
    cosigner: key.name,
    timestamp: ts.timestamp,
    origin: checkpoint.origin,
    start: 0,
    end: checkpoint.treeSize,
    hash: checkpoint.rootHash,
  });
  if (typeof message === 'string') return fail(message);
  if (verifyMlDsa44(key.publicKey, ts.signature, message)) return { ok: true, timestamp: ts.timestamp };
  return fail('the ML-DSA-44 cosignature does not verify');
}

/** static-ct-api, "Checkpoints": the TreeHeadSignature over the checkpoint's size and root, with its timestamp. */
async function checkRfc6962(key: Vkey, signature: Bytes, text: string, tools: SignatureTools): Promise<SignatureCheck> {
  const log = tools.log;
  if (!log || !equalBytes(log.key, key.publicKey)) {
    return fail("an RFC 6962 key is checked only as its log list entry's key");
  }
  try {
    const checkpoint = parseCheckpointBody(text);
    if (checkpoint.extensions.length) {
      return fail('a checkpoint with an RFC 6962 signature must not have extension lines');
    }
    const { timestamp, treeHeadSignature } = parseRfc6962NoteSignature(signature);
    const { treeSize, rootHash } = checkpoint;
    const head = { logId: log.logId, treeSize, timestamp, rootHash, signature: treeHeadSignature };
    await verifyTreeHead(head, log, tools.verifier);
    return { ok: true, timestamp };
  } catch (e) {
    if (e instanceof CheckpointError || e instanceof TreeHeadError) return fail(e.message);
    throw e;
  }
}
