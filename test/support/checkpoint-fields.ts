/**
 * Checkpoints written field by field from the specs with node:crypto, independently of src/ and
 * of the test log's writer (log/checkpoint-note.ts): the tlog-checkpoint text, signed-note
 * lines, static-ct-api's RFC6962NoteSignature, tlog-cosignature's cosignature/v1, GREASE.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { logFromKey } from '../../src/loglist/registry.js';
import type { LogInfo } from '../../src/loglist/schema.js';

export interface NoteLog {
  /** The log as a log list gives it: its P-256 key, tiled. */
  readonly info: LogInfo;
  readonly privateKey: KeyObject;
  /** SHA-256 of the SPKI (RFC 6962 §3.2). */
  readonly logId: Buffer;
  /** The log's own Ed25519 key, which cosigns its checkpoints. */
  readonly noteKey: KeyObject;
}

export function noteLog(): NoteLog {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const info: LogInfo = { ...logFromKey(new Uint8Array(spki), 'checkpoint test'), type: 'tiled' };
  const logId = createHash('sha256').update(spki).digest();
  return { info, privateKey, logId, noteKey: generateKeyPairSync('ed25519').privateKey };
}

const u64 = (n: number | bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

/** tlog-checkpoint, "Note text": origin, tree size, base64 root hash, each ending in a newline. */
export const checkpointText = (origin: string, size: number, root: Uint8Array): string =>
  `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;

/** signed-note: `— <name> base64(key ID ‖ signature)` and its newline. */
export const noteLine = (name: string, keyId: Uint8Array, signature: Uint8Array): string =>
  `\u2014 ${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;

/** signed-note: key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]. */
export const noteKeyId = (name: string, type: number, key: Uint8Array): Buffer =>
  createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, type)).update(key).digest().subarray(0, 4);

export interface TreeHead {
  readonly size: number;
  readonly root: Uint8Array;
  /** ms. */
  readonly timestamp: number;
}

/**
 * static-ct-api, "Checkpoints": the RFC6962NoteSignature (uint64 timestamp ‖ TreeHeadSignature
 * DigitallySigned) over RFC 6962 §3.5's v1 ‖ tree_hash ‖ timestamp ‖ tree_size ‖ root, under the
 * origin with key ID type 0x05 and the LogID. `flip`: a signature byte changed (it no longer verifies).
 */
export function rfc6962Line(log: NoteLog, origin: string, head: TreeHead, flip = false): string {
  const signed = Buffer.concat([Buffer.of(0, 1), u64(head.timestamp), u64(head.size), head.root]);
  const der = sign('sha256', signed, log.privateKey);
  if (flip) der[der.length - 1]! ^= 0x01;
  const digitallySigned = Buffer.concat([Buffer.of(4, 3, der.length >> 8, der.length & 255), der]);
  return noteLine(origin, noteKeyId(origin, 0x05, log.logId), Buffer.concat([u64(head.timestamp), digitallySigned]));
}

const ed25519Public = (key: KeyObject): Buffer =>
  createPublicKey(key).export({ type: 'spki', format: 'der' }).subarray(-32);

/**
 * tlog-cosignature: key ID type 0x04 over the 32-byte Ed25519 key; u64 seconds ‖ Ed25519 over
 * "cosignature/v1\ntime <seconds>\n" ‖ the checkpoint text.
 */
export function cosignatureLine(name: string, key: KeyObject, text: string, seconds: number): string {
  const message = Buffer.from(`cosignature/v1\ntime ${seconds}\n${text}`, 'utf8');
  const signature = Buffer.concat([u64(seconds), sign(null, message, key)]);
  return noteLine(name, noteKeyId(name, 0x04, ed25519Public(key)), signature);
}

/** A line of a key nobody knows: a random key ID and `size` random bytes. */
export const greaseLine = (name: string, size = 48): string => noteLine(name, randomBytes(4), randomBytes(size));

/** Every order of `items` (n! of them). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
