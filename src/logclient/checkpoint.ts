/**
 * Checkpoints of static-ct-api logs (c2sp.org/static-ct-api, "Checkpoints"): a signed note
 * (c2sp.org/signed-note) whose body is a checkpoint (c2sp.org/tlog-checkpoint) and whose log
 * signature is an RFC6962NoteSignature — the RFC 6962 §3.5 TreeHeadSignature with its timestamp.
 * Parsing is strict; signatures from unknown keys (witnesses, other key types) are ignored.
 */
import { concatBytes, equalBytes, fromBase64, sha256, toHex, utf8, type Bytes } from '../bytes.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import { TreeHeadError, verifyTreeHead, type SignedTreeHead } from './tree-head.js';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface NoteSignature {
  /** The key name. */
  readonly name: string;
  /** The 4-byte key ID. */
  readonly keyId: Bytes;
  /** The signature proper, after the key ID. */
  readonly signature: Bytes;
}

export interface SignedNote {
  /** The note text, ending in its final newline (without the separating blank line). */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** signed-note: verifiers SHOULD bound the signatures and MUST accept at least 16. */
const MAX_SIGNATURES = 100;

/** signed-note, "Format". Throws CheckpointError naming what is wrong. */
export function parseSignedNote(note: Bytes | string): SignedNote {
  let text: string;
  if (typeof note === 'string') text = note;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(note);
    } catch {
      throw new CheckpointError('the note is not UTF-8');
    }
  }
  // MUST NOT contain ASCII control characters other than newline.
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(text);
  if (control) throw new CheckpointError(`the note contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (!text.endsWith('\n')) throw new CheckpointError('the note does not end in a newline');
  // The text is separated from the signatures by the last empty line.
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new CheckpointError('the note has no blank line before its signatures');
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2, -1).split('\n');
  if (lines.length === 1 && lines[0] === '') throw new CheckpointError('the note has no signature lines');
  if (lines.length > MAX_SIGNATURES) throw new CheckpointError(`the note has ${lines.length} signatures, more than the ${MAX_SIGNATURES} accepted`);
  const signatures = lines.map((line, i): NoteSignature => {
    // em dash, space, key name (no Unicode spaces, no '+'), space, base64(key ID ‖ signature).
    const m = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (!m) throw new CheckpointError(`signature line ${i + 1} is not "— <key name> <base64>"`);
    let bytes: Bytes;
    try {
      bytes = fromBase64(m[2]!);
    } catch (e) {
      throw new CheckpointError(`signature line ${i + 1}: ${(e as Error).message}`);
    }
    if (bytes.length < 5) throw new CheckpointError(`signature line ${i + 1}: ${bytes.length} bytes, too short for a key ID and a signature`);
    return { name: m[1]!, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
  });
  return { text: body, signatures };
}

export interface Checkpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Bytes;
  /** Extension lines after the root hash (none are allowed with RFC 6962 signatures). */
  readonly extensions: readonly string[];
}

/** tlog-checkpoint, "Note text": origin, decimal tree size, base64 root hash, then extension lines. */
export function parseCheckpointBody(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new CheckpointError('the checkpoint does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError(`the checkpoint has ${lines.length} lines, expected origin, tree size and root hash`);
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw new CheckpointError('the checkpoint origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(size)) throw new CheckpointError(`the tree size "${size}" is not a decimal number without leading zeros`);
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) throw new CheckpointError(`the tree size ${size} is larger than this client handles`);
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
export const RFC6962_SIGNATURE_TYPE = 0x05;

/** SHA-256(key name ‖ 0x0A ‖ 0x05 ‖ 32-byte LogID)[:4]. */
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
 * Opens a static-ct-api checkpoint: the note is parsed, the origin checked against `origin` (when
 * given), and every signature whose key name and ID are the log's is verified as the RFC 6962
 * tree head signature (a known key's failing signature rejects the note, as signed-note advises).
 * Other signatures are ignored. Throws CheckpointError.
 */
export async function openCheckpoint(note: Bytes | string, log: LogInfo, origin: string | undefined, verifier: SignatureVerifier): Promise<SignedTreeHead & { origin: string }> {
  const { text, signatures } = parseSignedNote(note);
  const checkpoint = parseCheckpointBody(text);
  if (origin !== undefined && checkpoint.origin !== origin) throw new CheckpointError(`the checkpoint origin "${checkpoint.origin}" is not the log's "${origin}"`);
  if (checkpoint.extensions.length) throw new CheckpointError('a checkpoint signed with an RFC 6962 tree head signature must not have extension lines');
  const keyId = rfc6962KeyId(checkpoint.origin, fromBase64(log.logId));
  const own = signatures.filter((s) => s.name === checkpoint.origin && equalBytes(s.keyId, keyId));
  if (own.length === 0) throw new CheckpointError(`no signature from the log's key (key name "${checkpoint.origin}", key ID ${toHex(keyId)})`);
  let head: (SignedTreeHead & { origin: string }) | undefined;
  for (const s of own) {
    const { timestamp, treeHeadSignature } = parseRfc6962NoteSignature(s.signature);
    const candidate = { logId: log.logId, treeSize: checkpoint.treeSize, timestamp, rootHash: checkpoint.rootHash, signature: treeHeadSignature, origin: checkpoint.origin };
    try {
      await verifyTreeHead(candidate, log, verifier);
    } catch (e) {
      if (e instanceof TreeHeadError) throw new CheckpointError(`the log's checkpoint signature: ${e.message}`);
      throw e;
    }
    head ??= candidate;
  }
  return head!;
}
