/**
 * A bounds-checked reader for TLS presentation-language structures (RFC 5246 §4; RFC 6962 §3
 * uses them for SCTs). Every read names what it was reading when the input is too short.
 */
import type { Bytes } from './bytes.js';

export class TlsDecodeError extends Error {
  override name = 'TlsDecodeError';
}

export class TlsReader {
  private offset = 0;
  constructor(private readonly bytes: Bytes) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  get position(): number {
    return this.offset;
  }

  /** The bytes read from `start` (an earlier position) up to here: a view, not a copy. */
  since(start: number): Bytes {
    if (!Number.isInteger(start) || start < 0 || start > this.offset) {
      throw new RangeError(`position ${start} is not behind ${this.offset}`);
    }
    return this.bytes.subarray(start, this.offset);
  }

  /** Reads `count` raw bytes (a view, not a copy). */
  bytesOf(count: number, what: string): Bytes {
    if (count > this.remaining) {
      throw new TlsDecodeError(`${what}: needs ${count} bytes at offset ${this.offset}, only ${this.remaining} left`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /**
   * Big-endian unsigned integer of 1 to 6 bytes (uint8 … uint48; wider ones through u64).
   * Precondition: `size` is 1..6, which every number below 2^48 is exact for.
   */
  uint(size: number, what: string): number {
    if (!Number.isInteger(size) || size < 1 || size > 6) throw new RangeError(`uint${8 * size} is not read exactly`);
    const b = this.bytesOf(size, what);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + b[i]!;
    return n;
  }

  u8 = (what: string): number => this.uint(1, what);
  u16 = (what: string): number => this.uint(2, what);

  /**
   * uint64 (RFC 5246 §4.4). A JavaScript number holds it exactly only below 2^53: beyond that,
   * 'refuse' (the default; no tree size, index or clock reaches it) throws TlsDecodeError, and
   * 'saturate' gives Number.MAX_SAFE_INTEGER (an SCT timestamp, whose bytes are kept as signed).
   */
  u64(what: string, beyond: 'refuse' | 'saturate' = 'refuse'): number {
    const b = this.bytesOf(8, what);
    let n = 0;
    for (let i = 0; i < 8; i++) n = n * 256 + b[i]!;
    // Exact while the top 11 bits are zero (b[0] = 0, b[1] < 0x20): then n < 2^53.
    if (b[0] === 0 && b[1]! < 0x20) return n;
    if (beyond === 'saturate') return Number.MAX_SAFE_INTEGER;
    throw new TlsDecodeError(`${what} does not fit in 53 bits`);
  }

  /** `opaque x<min..2^(8*lengthBytes)-1>`: a length prefix, then that many bytes. */
  vector(lengthBytes: number, what: string, min = 0): Bytes {
    const length = this.uint(lengthBytes, `${what} length`);
    if (length < min) throw new TlsDecodeError(`${what}: length ${length} is below the minimum ${min}`);
    return this.bytesOf(length, what);
  }

  /** Fails unless every byte was consumed. */
  end(what: string): void {
    if (this.remaining !== 0) {
      throw new TlsDecodeError(`${what}: ${this.remaining} trailing bytes at offset ${this.offset}`);
    }
  }
}

/** Encodes `n` as a big-endian unsigned integer of `size` bytes. Precondition: 0 ≤ n < 2^(8·size). */
export function encodeUint(n: number, size: number): Bytes {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 2 ** (8 * size))
    throw new RangeError(`${n} does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  for (let i = size - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** `opaque x<..>` with a `lengthBytes` length prefix. */
export const encodeVector = (body: Bytes, lengthBytes: number): Bytes => {
  const out = new Uint8Array(lengthBytes + body.length);
  out.set(encodeUint(body.length, lengthBytes), 0);
  out.set(body, lengthBytes);
  return out;
};
