import type { Bytes } from '../bytes.js';

/** How the SCT reached the client (RFC 6962 §3.3). */
export type SctSource = 'embedded' | 'tls-extension' | 'ocsp';

/** RFC 6962 §3.2 HashAlgorithm and SignatureAlgorithm (from RFC 5246 §7.4.1.4.1). */
export const HASH_SHA256 = 4;
export const SIGNATURE_RSA = 1;
export const SIGNATURE_ECDSA = 3;

/** A version 1 SCT (RFC 6962 §3.2), with views into the bytes it was decoded from. */
export interface SctV1 {
  readonly kind: 'v1';
  /** The serialized SCT exactly as delivered. */
  readonly raw: Bytes;
  readonly version: 0;
  readonly logId: Bytes;
  /** The 8 timestamp bytes as delivered: they go into the signed data unchanged. */
  readonly timestampBytes: Bytes;
  /** Milliseconds since the epoch (exact below 2^53; larger values are clamped and are far future). */
  readonly timestamp: number;
  readonly extensions: Bytes;
  readonly hashAlgorithm: number;
  readonly signatureAlgorithm: number;
  readonly signature: Bytes;
  /** static-ct-api leaf_index extension, when present and well-formed. */
  readonly leafIndex: number | undefined;
  /** Why the extensions could not be read as static-ct-api extensions, when they could not. */
  readonly extensionsNote: string | undefined;
}

/** An SCT whose version this implementation does not know: its body cannot be interpreted. */
interface SctUnsupportedVersion {
  readonly kind: 'unsupported-version';
  readonly raw: Bytes;
  readonly version: number;
}

/** An SCT whose bytes do not decode. */
interface SctMalformed {
  readonly kind: 'malformed';
  readonly raw: Bytes;
  readonly error: string;
}

export type DecodedSct = SctV1 | SctUnsupportedVersion | SctMalformed;
