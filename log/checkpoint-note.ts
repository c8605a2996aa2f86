/**
 * The test log's checkpoint (c2sp.org/static-ct-api v1.1.0, "Checkpoints"), written independently
 * of the client in src/ (node:crypto): a signed note (c2sp.org/signed-note) whose text is the
 * tlog-checkpoint `<origin>\n<tree size>\n<base64 root>\n`, signed by the log as an
 * RFC6962NoteSignature. The realistic form adds what Sunlight and TesseraCT logs add: a
 * cosignature/v1 (c2sp.org/tlog-cosignature) by the log's own Ed25519 key under the same key name,
 * and GREASE lines of keys nobody knows, all in a random order.
 */
import { createHash, createPublicKey, randomBytes, randomInt, sign, type KeyObject } from 'node:crypto';
import type { Bytes } from '../src/bytes.js';
import { encodeUint } from '../src/tls.js';
import type { LocalTreeHead } from './log.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** uint64, big-endian (RFC 8446 §3.3): the shared TLS writer. */
const u64 = (n: number): Bytes => encodeUint(n, 8);

/** signed-note, "Signatures": key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]. */
const keyId = (name: string, type: number, key: Uint8Array): Buffer =>
  createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, type)).update(key).digest().subarray(0, 4);

/** static-ct-api: key ID = SHA-256(key name ‖ 0x0A ‖ 0x05 ‖ 32-byte LogID)[:4]. */
export const checkpointKeyId = (origin: string, logId: Bytes): Buffer => keyId(origin, 0x05, logId);

/** The 32-byte Ed25519 public key (RFC 8032) of a private key: the end of its SPKI. */
const ed25519Public = (key: KeyObject): Buffer =>
  createPublicKey(key).export({ type: 'spki', format: 'der' }).subarray(-32);

/** tlog-cosignature, "Format": key ID = SHA-256(name ‖ "\n" ‖ 0x04 ‖ 32-byte Ed25519 public key)[:4]. */
const cosignatureKeyId = (name: string, key: KeyObject): Buffer => keyId(name, 0x04, ed25519Public(key));

/** The checkpoint body: origin, decimal tree size, base64 root hash, each with its newline. */
export const checkpointBody = (origin: string, sth: Pick<LocalTreeHead, 'treeSize' | 'rootHash'>): string =>
  `${origin}\n${sth.treeSize}\n${b64(sth.rootHash)}\n`;

/** One signature line: `— <key name> base64(key ID ‖ signature)`. */
export const signatureLine = (name: string, id: Uint8Array, signature: Uint8Array): string =>
  `\u2014 ${name} ${b64(Buffer.concat([id, signature]))}\n`;

/** The log's line: RFC6962NoteSignature = uint64 timestamp ‖ the TreeHeadSignature's DigitallySigned. */
const rfc6962Line = (origin: string, logId: Bytes, sth: LocalTreeHead): string =>
  signatureLine(origin, checkpointKeyId(origin, logId), Buffer.concat([u64(sth.timestamp), sth.signature]));

/**
 * A cosignature/v1 line by the Ed25519 `key` under `name` (tlog-cosignature, "Ed25519 signed
 * message"): timestamped_signature = u64 POSIX seconds ‖ Ed25519 over
 * "cosignature/v1\ntime <seconds>\n" ‖ the whole checkpoint text.
 */
export function cosignatureLine(name: string, key: KeyObject, body: string, seconds: number): string {
  const message = Buffer.from(`cosignature/v1\ntime ${seconds}\n${body}`, 'utf8');
  return signatureLine(name, cosignatureKeyId(name, key), Buffer.concat([u64(seconds), sign(null, message, key)]));
}

/**
 * GREASE: lines of keys no client knows (random key IDs and bytes), one under `grease.invalid`
 * and one under the origin, so a client that verifies what it does not know, or refuses what it
 * cannot parse, fails at once. `avoid`: the key IDs of real keys, which a random ID must not be.
 */
function greaseLines(origin: string, avoid: readonly Uint8Array[]): string[] {
  const id = (): Buffer => {
    for (;;) {
      const candidate = randomBytes(4);
      if (!avoid.some((a) => candidate.equals(a))) return candidate;
    }
  };
  return ['grease.invalid', origin].map((name) => signatureLine(name, id(), randomBytes(randomInt(1, 97))));
}

/**
 * The plain note: body, blank line, the log's RFC6962NoteSignature line and any `extraLines`
 * (e.g. witnesses).
 */
export function checkpointNote(
  origin: string,
  logId: Bytes,
  sth: LocalTreeHead,
  extraLines: readonly string[] = [],
): string {
  return `${checkpointBody(origin, sth)}\n${rfc6962Line(origin, logId, sth)}${extraLines.join('')}`;
}

/**
 * The note as real logs serve it: the RFC6962NoteSignature, the cosignature/v1 of the log's own
 * Ed25519 `noteKey` under the origin (the same key name, another key ID), GREASE, and any
 * `extraLines`, shuffled (signed-note gives the lines no order).
 */
export function realisticCheckpointNote(
  origin: string,
  logId: Bytes,
  sth: LocalTreeHead,
  noteKey: KeyObject,
  extraLines: readonly string[] = [],
): string {
  const body = checkpointBody(origin, sth);
  const lines = [
    rfc6962Line(origin, logId, sth),
    cosignatureLine(origin, noteKey, body, Math.floor(sth.timestamp / 1000)),
    ...greaseLines(origin, [checkpointKeyId(origin, logId), cosignatureKeyId(origin, noteKey)]),
    ...extraLines,
  ];
  for (let i = lines.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return `${body}\n${lines.join('')}`;
}
