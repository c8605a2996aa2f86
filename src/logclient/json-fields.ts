/**
 * Strict readers for the JSON fields logs answer with (RFC 6962 §4, RFC 9162 §5): each names the
 * field and the URL when it throws LogHttpError('malformed').
 */
import { fromBase64, type Bytes } from '../bytes.js';
import { LogHttpError } from './http.js';

/** No tree needs more than 64 proof hashes (a tree of 2^64 leaves). */
const MAX_PROOF_HASHES = 64;

export const malformed = (url: string, what: string) => new LogHttpError('malformed', `${url}: ${what}`);

export function object(value: unknown, url: string, name?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(url, name ? `${name} is not a JSON object` : 'expected a JSON object');
  return value as Record<string, unknown>;
}

export function count(value: unknown, name: string, url: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw malformed(url, `${name} is not a whole number ≥ 0`);
  return value;
}

export function base64(value: unknown, name: string, url: string): Bytes {
  if (value === undefined) throw malformed(url, `${name} is missing`);
  if (typeof value !== 'string') throw malformed(url, `${name} is not a string`);
  try {
    return fromBase64(value);
  } catch (e) {
    throw malformed(url, `${name}: ${(e as Error).message}`);
  }
}

export function hash(value: unknown, name: string, url: string): Bytes {
  const bytes = base64(value, name, url);
  if (bytes.length !== 32) throw malformed(url, `${name} is ${bytes.length} bytes, expected 32`);
  return bytes;
}

export function hashes(value: unknown, name: string, url: string): Bytes[] {
  if (!Array.isArray(value)) throw malformed(url, `${name} is not an array`);
  if (value.length > MAX_PROOF_HASHES)
    throw malformed(url, `${name} has ${value.length} hashes, more than any tree needs`);
  return value.map((v, i) => hash(v, `${name}[${i}]`, url));
}
