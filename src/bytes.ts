/** Small byte helpers shared by the core. Platform-free: no Buffer, no Node API. */

export type Bytes = Uint8Array;

export function concatBytes(...parts: readonly Bytes[]): Bytes {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Bytes, separator = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i && separator ? separator : '') + HEX[bytes[i]!];
  return out;
}

export function fromHex(hex: string): Bytes {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error('invalid hex string');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64(bytes: Bytes): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[n >> 18]! + B64[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]!}=`;
  }
  return out;
}

/**
 * Strict standard base64 (RFC 4648 §4) with padding. Whitespace is refused unless
 * `allowWhitespace` (PEM bodies); so is a non-canonical final quantum (stray low bits).
 */
export function fromBase64(text: string, { allowWhitespace = false } = {}): Bytes {
  const s = allowWhitespace ? text.replace(/[\s]/g, '') : text;
  if (s.length % 4 !== 0) throw new Error(`invalid base64: length ${s.length} is not a multiple of 4`);
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - padding);
  const value = (pos: number): number => {
    const c = s.charCodeAt(pos);
    if (c === 61 /* = */ && pos >= s.length - padding) return 0;
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) throw new Error(`invalid base64: unexpected character at ${pos}`);
    return v;
  };
  // Whole quanta straight into `out` (no allocation per quantum: get-entries decodes megabytes).
  const whole = s.length - (padding ? 4 : 0);
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding) {
    const i = whole;
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = n >> 16;
    if (padding === 1) out[o++] = (n >> 8) & 255;
    const leftover = padding === 2 ? n & 0xffff : n & 0xff;
    if (leftover !== 0) throw new Error('invalid base64: non-canonical padding bits');
  }
  return out;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
export const utf8 = (text: string): Bytes => utf8Encoder.encode(text);
export const fromUtf8 = (bytes: Bytes): string => utf8Decoder.decode(bytes);

/** SHA-256 via @noble/hashes: synchronous, ~11 µs per 1.5 KB here. */
export { sha256 } from '@noble/hashes/sha2.js';
