/**
 * Checkpoints of static-ct-api logs (c2sp.org/static-ct-api v1.1.0, "Checkpoints"): a signed note
 * (c2sp.org/signed-note, parsed strictly in signed-note.ts) whose text is a checkpoint
 * (c2sp.org/tlog-checkpoint) and whose log signature is an RFC6962NoteSignature — the RFC 6962
 * §3.5 TreeHeadSignature with its timestamp. Real checkpoints carry more lines, in any order: a
 * cosignature by the log's own Ed25519 key under the same key name (tlog-cosignature), witness
 * cosignatures, GREASE lines. "Clients MUST ignore signatures with unknown key names and IDs":
 * only the lines under the log's key name and key ID are verified.
 */
import { concatBytes, equalBytes, fromBase64, sha256, toHex, utf8, type Bytes } from '../bytes.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import { CheckpointError, parseSignedNote, type NoteSignature } from './signed-note.js';
import { TreeHeadError, verifyTreeHead, type SignedTreeHead } from './tree-head.js';

export { CheckpointError, parseSignedNote, type SignedNote } from './signed-note.js';

export interface Checkpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Bytes;
  /** Extension lines after the root hash (none are allowed with RFC 6962 signatures). */
  readonly extensions: readonly string[];
}

/**
 * tlog-checkpoint, "Note text": at least three non-empty lines — the origin, the tree size in
 * decimal without leading zeroes, the base64 root hash — then OPTIONAL extension lines, each
 * non-empty. The origin is not assumed to be a URL ("clients MUST NOT assume" its format).
 */
export function parseCheckpointBody(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new CheckpointError('the checkpoint does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) {
    throw new CheckpointError(`the checkpoint has ${lines.length} lines, expected origin, tree size and root hash`);
  }
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw new CheckpointError('the checkpoint origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(size)) {
    throw new CheckpointError(`the tree size "${size}" is not a decimal number without leading zeros`);
  }
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) {
    throw new CheckpointError(`the tree size ${size} is larger than this client handles`);
  }
  let rootHash: Bytes;
  try {
    rootHash = fromBase64(root);
  } catch (e) {
    throw new CheckpointError(`the root hash: ${(e as Error).message}`);
  }
  if (rootHash.length !== 32) throw new CheckpointError(`the root hash is ${rootHash.length} bytes, expected 32`);
  if (extensions.some((l) => l === '')) throw new CheckpointError('the checkpoint has an empty extension line');
  return { origin, treeSize, rootHash, extensions };
}

/** signed-note signature type 0x05, RFC 6962 TreeHeadSignatures (static-ct-api, "Checkpoints"). */
const RFC6962_SIGNATURE_TYPE = 0x05;

/** static-ct-api, "Checkpoints": key ID = SHA-256(key name ‖ 0x0A ‖ 0x05 ‖ 32-byte LogID)[:4]. */
export const rfc6962KeyId = (origin: string, logId: Bytes): Bytes =>
  sha256(concatBytes(utf8(origin), Uint8Array.of(0x0a, RFC6962_SIGNATURE_TYPE), logId)).slice(0, 4);

/**
 * `struct { uint64 timestamp; TreeHeadSignature signature; } RFC6962NoteSignature;` where the
 * signature is the TLS DigitallySigned (hash, signature algorithm, opaque signature<0..2^16-1>).
 */
export function parseRfc6962NoteSignature(bytes: Bytes): { timestamp: number; treeHeadSignature: Bytes } {
  try {
    const r = new TlsReader(bytes);
    const timestamp = r.u64('timestamp');
    const signatureStart = r.position;
    r.u8('hash algorithm');
    r.u8('signature algorithm');
    r.vector(2, 'signature');
    r.end('RFC6962NoteSignature');
    return { timestamp, treeHeadSignature: bytes.subarray(signatureStart) };
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new CheckpointError(`the log's note signature is malformed: ${e.message}`);
    throw e;
  }
}

/**
 * The checkpoint origin a log must use: its submission prefix without the scheme and trailing
 * slashes ("https://rome.ct.example.com/2024h1/" → "rome.ct.example.com/2024h1").
 */
export const originFromUrl = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');

/**
 * Opens a static-ct-api checkpoint of `log`: the note and checkpoint parsed strictly, the origin
 * checked against `origin` (when given), no extension lines ("A checkpoint signed with this
 * algorithm MUST NOT include any extension lines"), then the log's lines — key name the origin,
 * key ID rfc6962KeyId — verified as RFC 6962 tree head signatures. Every other line is ignored:
 * another key ID under the origin (the log's Ed25519 cosignature), the log's key ID under another
 * name, witnesses, GREASE (signed-note: "ignore signatures from unknown keys, even if they share a
 * name or ID (but not both) with a known key").
 *
 * The checkpoint is accepted when one of the log's lines verifies (the first that does gives the
 * head), whatever else the note carries; a line under the log's name and ID that does not verify
 * beside one that does is taken for a key colliding on both (signed-note: such "collisions of both
 * key name and key ID" are possible) and is ignored. It is refused when no line verifies under the
 * log's key. Throws CheckpointError naming what is wrong.
 */
export async function openCheckpoint(
  note: Bytes | string,
  log: LogInfo,
  origin: string | undefined,
  verifier: SignatureVerifier,
): Promise<SignedTreeHead & { origin: string }> {
  const { text, signatures } = parseSignedNote(note);
  const checkpoint = parseCheckpointBody(text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new CheckpointError(`the checkpoint origin "${checkpoint.origin}" is not the log's "${origin}"`);
  }
  if (checkpoint.extensions.length) {
    throw new CheckpointError('a checkpoint signed with an RFC 6962 tree head signature must not have extension lines');
  }
  const keyId = rfc6962KeyId(checkpoint.origin, fromBase64(log.logId));
  const own = signatures.flatMap((s, i) => (s.name === checkpoint.origin && equalBytes(s.keyId, keyId) ? [i] : []));
  if (own.length === 0) {
    const key = `key name "${checkpoint.origin}", key ID ${toHex(keyId)}`;
    throw new CheckpointError(`no signature from the log's key (${key}); ${ignored(signatures)}`);
  }
  const failures: string[] = [];
  for (const i of own) {
    try {
      return await verifyLine(signatures[i]!, checkpoint, log, verifier);
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      failures.push(own.length === 1 ? e.message : `line ${i + 1}: ${e.message}`);
    }
  }
  throw new CheckpointError(
    own.length === 1
      ? `the log's checkpoint signature: ${failures[0]}`
      : `none of the ${own.length} checkpoint signature lines under the log's key verifies: ${failures.join('; ')}`,
  );
}

/** One RFC6962NoteSignature line over the checkpoint's size and root. Throws CheckpointError. */
async function verifyLine(
  line: NoteSignature,
  checkpoint: Checkpoint,
  log: LogInfo,
  verifier: SignatureVerifier,
): Promise<SignedTreeHead & { origin: string }> {
  const { timestamp, treeHeadSignature } = parseRfc6962NoteSignature(line.signature);
  const { origin, treeSize, rootHash } = checkpoint;
  const head = { logId: log.logId, treeSize, timestamp, rootHash, signature: treeHeadSignature, origin };
  try {
    await verifyTreeHead(head, log, verifier);
  } catch (e) {
    if (e instanceof TreeHeadError) throw new CheckpointError(e.message);
    throw e;
  }
  return head;
}

/** The lines the note does have, for the error (names shortened: they are the server's text). */
function ignored(signatures: readonly NoteSignature[]): string {
  const shown = signatures.slice(0, 4).map((s) => {
    const name = s.name.length > 40 ? `${s.name.slice(0, 40)}…` : s.name;
    return `"${name}" ${toHex(s.keyId)}`;
  });
  const more = signatures.length > 4 ? `, and ${signatures.length - 4} more` : '';
  const lines = signatures.length === 1 ? 'its signature line is' : `its ${signatures.length} signature lines are`;
  return `${lines} under other keys, ignored: ${shown.join(', ')}${more}`;
}
