/**
 * Which key algorithm checks a CT log's signature (RFC 6962 §2.1.4): SHA-256 with ECDSA over NIST
 * P-256, or with RSASSA-PKCS1-v1_5 and a key of at least 2048 bits. The signature names its
 * algorithms (the DigitallySigned's SignatureAndHashAlgorithm, RFC 5246 §7.4.1.4.1); they must be
 * these, and match the log's key. One rule for SCTs (verify-scts.ts) and tree heads (tree-head.ts).
 */
import type { Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import { HASH_SHA256, SIGNATURE_ECDSA, SIGNATURE_RSA } from '../sct/types.js';
import { publicKeyKind } from './public-key.js';
import type { KeyAlgorithm } from './verify.js';

/** RFC 6962 §2.1.4: RSA keys are at least 2048 bits. */
const MIN_RSA_BITS = 2048;

/** The algorithm to verify with, or why there is none (a sentence for people). */
export function logSignatureAlgorithm(
  hash: number,
  signature: number,
  logKey: Bytes,
): KeyAlgorithm | { problem: string } {
  if (hash !== HASH_SHA256) return { problem: `hash algorithm ${hash} is not SHA-256 (${HASH_SHA256})` };
  let kind: ReturnType<typeof publicKeyKind>;
  try {
    kind = publicKeyKind(logKey);
  } catch (e) {
    if (e instanceof DerError) return { problem: `the log's key is not a valid SubjectPublicKeyInfo: ${e.message}` };
    throw e;
  }
  if (kind.type === 'unsupported') return { problem: `the log's key is unsupported (${kind.description})` };
  if (signature !== SIGNATURE_ECDSA && signature !== SIGNATURE_RSA) {
    const allowed = `ECDSA (${SIGNATURE_ECDSA}) nor RSA (${SIGNATURE_RSA})`;
    return { problem: `signature algorithm ${signature} is neither ${allowed}` };
  }
  const wanted = kind.type === 'ecdsa-p256' ? SIGNATURE_ECDSA : SIGNATURE_RSA;
  if (signature !== wanted) {
    return { problem: `signature algorithm ${signature} does not match the log's ${kind.type} key` };
  }
  if (kind.type === 'rsa' && kind.modulusBits < MIN_RSA_BITS) {
    return { problem: `the log's RSA key has ${kind.modulusBits} bits, fewer than ${MIN_RSA_BITS}` };
  }
  return kind.type;
}
