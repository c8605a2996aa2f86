/**
 * The test log's checkpoint (c2sp.org/static-ct-api, "Checkpoints"), written independently of the
 * client in src/: a signed note (c2sp.org/signed-note) whose body is the tlog-checkpoint
 * `<origin>\n<tree size>\n<base64 root>\n`, signed by the log as an RFC6962NoteSignature.
 */
import { createHash } from 'node:crypto';
import type { Bytes } from '../../src/bytes.js';
import type { SignedTreeHead } from './log.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

/** Key ID = SHA-256(key name ‖ 0x0A ‖ 0x05 ‖ 32-byte LogID)[:4]. */
export const checkpointKeyId = (origin: string, logId: Bytes): Buffer =>
  createHash('sha256').update(origin, 'utf8').update(Buffer.of(0x0a, 0x05)).update(logId).digest().subarray(0, 4);

/** The checkpoint body: origin, decimal tree size, base64 root hash, each with its newline. */
export const checkpointBody = (origin: string, sth: Pick<SignedTreeHead, 'treeSize' | 'rootHash'>): string => `${origin}\n${sth.treeSize}\n${b64(sth.rootHash)}\n`;

/** One signature line: `— <key name> base64(key ID ‖ signature)`. */
export const signatureLine = (name: string, keyId: Uint8Array, signature: Uint8Array): string => `\u2014 ${name} ${b64(Buffer.concat([keyId, signature]))}\n`;

/**
 * The whole note: body, blank line, the log's signature line (RFC6962NoteSignature: uint64
 * timestamp ‖ the TreeHeadSignature's DigitallySigned) and any `extraLines` (e.g. witnesses).
 */
export function checkpointNote(origin: string, logId: Bytes, sth: SignedTreeHead, extraLines: readonly string[] = []): string {
  const signature = Buffer.concat([u64(sth.timestamp), sth.signature]);
  return `${checkpointBody(origin, sth)}\n${signatureLine(origin, checkpointKeyId(origin, logId), signature)}${extraLines.join('')}`;
}
