/**
 * The messages a cosigner signs (c2sp.org/tlog-cosignature) and the timestamped_signature it sends:
 *
 *   struct { u64 timestamp; opaque signature[64 | 2420]; } timestamped_signature;
 *
 * "Ed25519 signed message": `cosignature/v1\ntime <timestamp>\n` then the whole checkpoint text
 * (extension lines included). "ML-DSA-44 signed message": the cosigned_message struct below.
 */
import { concatBytes, utf8, type Bytes } from '../bytes.js';
import { encodeUint } from '../tls.js';

/** Signature sizes: RFC 8032 §5.1.6 (Ed25519), FIPS 204 Table 2 (ML-DSA-44). */
export const SIGNATURE_SIZE = { ed25519: 64, 'ml-dsa-44': 2420 } as const;

interface TimestampedSignature {
  /** POSIX seconds (tlog-cosignature, "Format"). */
  readonly timestamp: number;
  readonly signature: Bytes;
}

/**
 * Reads a timestamped_signature of exactly 8 + `size` bytes. Returns the problem as a string when
 * the bytes have another length, or the timestamp exceeds 2^63 − 1 (a MUST NOT) or 2^53 − 1 (no
 * plausible time: verifiers MAY reject cosignatures with timestamps in the future).
 */
export function readTimestampedSignature(bytes: Bytes, size: number): TimestampedSignature | string {
  if (bytes.length !== 8 + size) return `the cosignature is ${bytes.length} bytes, expected 8 + ${size}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const timestamp = view.getBigUint64(0);
  if (timestamp > 2n ** 63n - 1n) return `the cosignature timestamp ${timestamp} exceeds 2^63 - 1`;
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return `the cosignature timestamp ${timestamp} is no plausible time`;
  return { timestamp: Number(timestamp), signature: bytes.subarray(8) };
}

/** tlog-cosignature, "Ed25519 signed message". Precondition: `checkpoint` is the note text, final newline included. */
export const cosignatureV1Message = (timestamp: number, checkpoint: string): Bytes =>
  utf8(`cosignature/v1\ntime ${timestamp}\n${checkpoint}`);

/** What a subtree/v1 cosignature covers: [start, end) of the log `origin`, with root `hash`. */
interface SignedSubtree {
  readonly cosigner: string;
  readonly timestamp: number;
  readonly origin: string;
  readonly start: number;
  readonly end: number;
  readonly hash: Bytes;
}

/**
 * tlog-cosignature, "ML-DSA-44 signed message":
 *   struct { uint8 label[12] = "subtree/v1\n\0"; opaque cosigner_name<1..2^8-1>; uint64 timestamp;
 *            opaque log_origin<1..2^8-1>; uint64 start; uint64 end; uint8 hash[32]; } cosigned_message;
 * Returns the problem as a string when a field cannot be encoded (a name or origin of 0 or over 255
 * bytes, a hash not 32 bytes) or the fields break the struct's rules (start > 0 with a timestamp).
 */
export function subtreeV1Message(subtree: SignedSubtree): Bytes | string {
  const name = utf8(subtree.cosigner);
  const origin = utf8(subtree.origin);
  if (name.length < 1 || name.length > 255) return `the cosigner name is ${name.length} bytes, not 1 to 255`;
  if (origin.length < 1 || origin.length > 255) return `the log origin is ${origin.length} bytes, not 1 to 255`;
  if (subtree.hash.length !== 32) return `the subtree hash is ${subtree.hash.length} bytes, not 32`;
  if (subtree.start !== 0 && subtree.timestamp !== 0) return 'a subtree that does not start at 0 has timestamp 0';
  return concatBytes(
    utf8('subtree/v1\n\0'),
    Uint8Array.of(name.length),
    name,
    encodeUint(subtree.timestamp, 8),
    Uint8Array.of(origin.length),
    origin,
    encodeUint(subtree.start, 8),
    encodeUint(subtree.end, 8),
    subtree.hash,
  );
}
