/** What kind of key a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) holds, read from its DER. */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, children, content, decodeOid, expectElement, readElement } from '../der/element.js';

export type PublicKeyKind =
  | { readonly type: 'ecdsa-p256' }
  | { readonly type: 'rsa'; readonly modulusBits: number }
  | { readonly type: 'unsupported'; readonly description: string };

const EC_PUBLIC_KEY = '1.2.840.10045.2.1'; // RFC 5480 §2.1.1
const P256 = '1.2.840.10045.3.1.7'; // RFC 5480 §2.1.1.1 secp256r1
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'; // RFC 8017 appendix A.1

/** Throws DerError when the SPKI is not well-formed DER. */
export function publicKeyKind(spki: Bytes): PublicKeyKind {
  const outer = expectElement(spki, 0, spki.length, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  if (outer.end !== spki.length) throw new DerError('SubjectPublicKeyInfo has trailing bytes');
  const [algorithm, key] = children(spki, outer, 'SubjectPublicKeyInfo');
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE || !key || key.tag !== TAG.BIT_STRING) {
    throw new DerError('SubjectPublicKeyInfo must be SEQUENCE { AlgorithmIdentifier, BIT STRING }');
  }
  const [oidEl, params] = children(spki, algorithm, 'AlgorithmIdentifier');
  if (!oidEl || oidEl.tag !== TAG.OID) throw new DerError('AlgorithmIdentifier has no OID');
  const oid = decodeOid(content(spki, oidEl));
  if (oid === EC_PUBLIC_KEY) {
    const curve = params && params.tag === TAG.OID ? decodeOid(content(spki, params)) : 'unknown';
    if (curve !== P256) return { type: 'unsupported', description: `EC key on curve ${curve}` };
    const point = content(spki, key);
    // Unused-bits octet 0, then an uncompressed point 04 || X || Y (SEC 1 §2.3.3).
    if (point.length !== 66 || point[0] !== 0 || point[1] !== 4) {
      return { type: 'unsupported', description: 'P-256 key is not an uncompressed point' };
    }
    return { type: 'ecdsa-p256' };
  }
  if (oid === RSA_ENCRYPTION) {
    const bits = content(spki, key);
    if (bits[0] !== 0) throw new DerError('RSA key BIT STRING has unused bits');
    const rsaKey = expectElement(bits, 1, bits.length, TAG.SEQUENCE, 'RSAPublicKey');
    const modulus = content(bits, readElement(bits, rsaKey.contentStart, rsaKey.end, 'RSA modulus'));
    let start = 0;
    while (start < modulus.length && modulus[start] === 0) start++;
    const top = modulus[start] ?? 0;
    return { type: 'rsa', modulusBits: (modulus.length - start - 1) * 8 + (32 - Math.clz32(top)) };
  }
  return { type: 'unsupported', description: `key algorithm ${oid}` };
}
