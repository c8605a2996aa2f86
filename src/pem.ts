/** PEM (RFC 7468) decoding, and telling PEM from DER. Platform-free. */
import { fromBase64, fromUtf8, type Bytes } from './bytes.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Bytes;
}

export class PemError extends Error {
  override name = 'PemError';
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every PEM block in `text`, in order. Throws PemError for a damaged block. */
export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const [, label, body, endLabel] = m as unknown as [string, string, string, string];
    if (label !== endLabel) throw new PemError(`PEM block "BEGIN ${label}" ends with "END ${endLabel}"`);
    if (/^[A-Za-z-]+:/m.test(body)) throw new PemError(`PEM block "${label}" has headers (encrypted PEM is not supported)`);
    try {
      blocks.push({ label, der: fromBase64(body, { allowWhitespace: true }) });
    } catch (e) {
      throw new PemError(`PEM block "${label}" #${blocks.length + 1}: ${(e as Error).message}`);
    }
  }
  return blocks;
}

/** True when the bytes look like PEM text rather than DER (which starts with a SEQUENCE tag). */
export function looksLikePem(bytes: Bytes): boolean {
  if (bytes[0] === 0x30) return false;
  try {
    return fromUtf8(bytes.subarray(0, Math.min(bytes.length, 4096))).includes('-----BEGIN ');
  } catch {
    return false;
  }
}

/** Encodes DER as PEM with 64-column lines. */
export function encodePem(label: string, der: Bytes, toBase64: (b: Bytes) => string): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
