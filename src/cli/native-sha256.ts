/**
 * SHA-256 (FIPS 180-4) through Node's OpenSSL, for the CLI build: vite.cli.config.ts resolves the
 * core's `sha256` (src/bytes.ts, @noble/hashes, platform-free for the browsers) to this module.
 * A CLI run hashes every log key of the lists it reads and the lists themselves; noble's first
 * calls run in V8's interpreter and cost milliseconds where OpenSSL takes microseconds.
 * Same contract as noble's `sha256(message)`: the 32-byte digest of the bytes, as a Uint8Array.
 */
import { createHash } from 'node:crypto';

export function sha256(message: Uint8Array): Uint8Array {
  // A copy, not the Buffer: its ArrayBuffer may be shared with other data (Buffer pooling).
  return new Uint8Array(createHash('sha256').update(message).digest());
}
