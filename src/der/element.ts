/**
 * A strict DER (X.690 §10) element walker over the original bytes: no copies, no re-encoding.
 * Used on the verification hot path, where pkijs's full parse costs ~0.9 ms a certificate.
 */
import type { Bytes } from '../bytes.js';

export class DerError extends Error {
  override name = 'DerError';
}

/** One TLV: offsets into the buffer it was read from. */
export interface DerElement {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed (EXPLICIT) or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/**
 * Reads the element at `offset`, which must end at or before `limit`.
 * Precondition: 0 ≤ offset ≤ limit ≤ bytes.length. DER only: definite, minimal lengths;
 * low tag numbers only (X.509 needs nothing else).
 */
export function readElement(bytes: Bytes, offset: number, limit = bytes.length, what = 'element'): DerElement {
  if (offset + 2 > limit) throw new DerError(`${what}: truncated header at offset ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`${what}: high tag numbers are not supported (offset ${offset})`);
  const first = bytes[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError(`${what}: indefinite length is not DER (offset ${offset})`);
    if (count > 4) throw new DerError(`${what}: length of ${count} octets is too large (offset ${offset})`);
    if (offset + 2 + count > limit) throw new DerError(`${what}: truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
    if (bytes[offset + 2] === 0 || length < 0x80) {
      throw new DerError(`${what}: non-minimal length encoding (offset ${offset})`);
    }
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) {
    throw new DerError(`${what}: length ${length} at offset ${offset} overruns its container by ${end - limit} bytes`);
  }
  return { tag, start: offset, contentStart, end };
}

/** Reads an element and checks its tag. */
export function expectElement(bytes: Bytes, offset: number, limit: number, tag: number, what: string): DerElement {
  // The tag first: "not a SEQUENCE" says more about garbage input than a length overrun does.
  if (offset < limit && bytes[offset] !== tag) {
    throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(bytes[offset]!)} at offset ${offset}`);
  }
  return readElement(bytes, offset, limit, what);
}

/** The children of a constructed element, which must exactly fill it. */
export function children(bytes: Bytes, parent: DerElement, what = 'element'): DerElement[] {
  const out: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readElement(bytes, offset, parent.end, what);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export const content = (bytes: Bytes, el: DerElement): Bytes => bytes.subarray(el.contentStart, el.end);
export const whole = (bytes: Bytes, el: DerElement): Bytes => bytes.subarray(el.start, el.end);

/** DER length octets for `length` (X.690 §8.1.3, minimal form). */
export function encodeLength(length: number): Bytes {
  if (length < 0 || !Number.isSafeInteger(length)) throw new DerError(`cannot encode length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's content octets (X.690 §8.19). */
export function decodeOid(octets: Bytes): string {
  if (octets.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (let i = 0; i < octets.length; i++) {
    const b = octets[i]!;
    if (!started && b === 0x80) throw new DerError('OBJECT IDENTIFIER arc has a leading 0x80 octet');
    started = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    } else if (i === octets.length - 1) {
      throw new DerError('OBJECT IDENTIFIER ends inside an arc');
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A DER time (UTCTime per RFC 5280 §4.1.2.5.1, GeneralizedTime per §4.1.2.5.2) as ms since the epoch. */
export function decodeTime(bytes: Bytes, el: DerElement): number {
  const length = el.end - el.contentStart;
  // A bound before decoding: DER times are 13 or 15 octets; a huge one must not reach fromCharCode.
  if (length > 32) {
    const type = el.tag === TAG.UTC_TIME ? 'UTCTime' : el.tag === TAG.GENERALIZED_TIME ? 'GeneralizedTime' : 'time';
    throw new DerError(`${type} of ${length} octets is far longer than a DER time (13 or 15)`);
  }
  const text = String.fromCharCode(...content(bytes, el));
  let m: RegExpExecArray | null;
  let year: number;
  if (el.tag === TAG.UTC_TIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    if (!m) throw new DerError(`UTCTime "${text}" is not YYMMDDHHMMSSZ`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (el.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    if (!m) throw new DerError(`GeneralizedTime "${text}" is not YYYYMMDDHHMMSSZ`);
    year = Number(m[1]);
  } else {
    throw new DerError(`expected a time, found tag 0x${hex2(el.tag)}`);
  }
  const [month, day, hour, minute, second] = m.slice(2).map(Number) as [number, number, number, number, number];
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, 0);
  const ms = check.getTime();
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`time "${text}" is not a valid date`);
  }
  return ms;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
