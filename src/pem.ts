/** PEM (RFC 7468) decoding, and telling PEM from DER. Platform-free. */
import { fromBase64, fromUtf8, type Bytes } from './bytes.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Bytes;
}

export class PemError extends Error {
  override name = 'PemError';
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
/** RFC 7468 §3: labelchar is any printable character but "-"; single spaces or hyphens between. */
const LABEL = /^[!-,.-~](?:[- ]?[!-,.-~])*$/;
/** The longest label read before a BEGIN or END line counts as damaged. */
const MAX_LABEL = 64;

/** The label of the encapsulation boundary whose "-----BEGIN " or "-----END " ends at `from`. */
function labelAt(text: string, from: number, what: string, n: number): { label: string; next: number } {
  const close = text.indexOf(DASHES, from);
  const label = close < 0 || close - from > MAX_LABEL ? undefined : text.slice(from, close);
  if (label === undefined || !LABEL.test(label)) {
    throw new PemError(`PEM block #${n}: "-----${what} " is not followed by a label and "-----"`);
  }
  return { label, next: close + DASHES.length };
}

/**
 * Every PEM block in `text`, in order, with text between blocks ignored (RFC 7468 §2). Throws
 * PemError for a damaged block: a BEGIN line without its END line (a truncated chain is refused,
 * never shortened), mismatched labels, headers, or a body that is not base64. Linear in the text.
 */
export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at)) {
    const n = blocks.length + 1;
    const { label, next: bodyStart } = labelAt(text, at + BEGIN.length, 'BEGIN', n);
    const end = text.indexOf(END, bodyStart);
    const body = text.slice(bodyStart, end < 0 ? undefined : end);
    if (end < 0 || body.includes(BEGIN)) throw new PemError(`PEM block "BEGIN ${label}" #${n} has no END line`);
    const { label: endLabel, next } = labelAt(text, end + END.length, 'END', n);
    if (label !== endLabel) throw new PemError(`PEM block "BEGIN ${label}" ends with "END ${endLabel}"`);
    if (/^[A-Za-z-]+:/m.test(body)) {
      throw new PemError(`PEM block "${label}" has headers (encrypted PEM is not supported)`);
    }
    try {
      blocks.push({ label, der: fromBase64(body, { allowWhitespace: true }) });
    } catch (e) {
      throw new PemError(`PEM block "${label}" #${n}: ${(e as Error).message}`);
    }
    at = next;
  }
  return blocks;
}

/** RFC 7468 §5.1: "CERTIFICATE"; parsers may accept the older "X509 CERTIFICATE" and "X.509 CERTIFICATE". */
const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'X.509 CERTIFICATE']);

/**
 * The DER of every certificate block in PEM `text`, in order (a chain: leaf first). Blocks with
 * other labels are skipped. Throws PemError for a damaged block (decodePem) or when no
 * certificate block is there, naming the labels that are.
 */
export function certificatesFromPem(text: string): Bytes[] {
  const blocks = decodePem(text);
  const ders = blocks.filter((b) => CERTIFICATE_LABELS.has(b.label)).map((b) => b.der);
  if (ders.length > 0) return ders;
  const labels = [...new Set(blocks.map((b) => b.label))].map((l) => `"${l}"`).join(', ');
  throw new PemError(`no CERTIFICATE block${labels ? ` (the PEM holds ${labels})` : ''}`);
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
