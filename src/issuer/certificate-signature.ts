/**
 * Whether a certificate's signature (RFC 5280 §4.1.1.2, §4.1.1.3) verifies with a candidate
 * issuer's public key: the only test that makes a candidate the issuer. WebCrypto checks
 *   - sha256/384/512WithRSAEncryption (RFC 4055 §5; PKCS#1 v1.5, RFC 8017 §8.2),
 *   - RSASSA-PSS (RFC 4055 §3.1) with SHA-256/384/512 and MGF1 over the same hash,
 *   - ecdsa-with-SHA256/384/512 (RFC 5758 §3.2) with a P-256, P-384 or P-521 key (RFC 5480 §2.1.1.1).
 * Anything else is unsupported, never "verified". Nothing here throws for hostile input: the
 * outcome says what was wrong.
 */
import type { Bytes } from '../bytes.js';
import { equalBytes } from '../bytes.js';
import { ecdsaDerToRaw } from '../crypto/ecdsa-signature.js';
import type { VerifyOutcome } from '../crypto/verify.js';
import {
  DerError,
  TAG,
  children,
  content,
  contextTag,
  decodeOid,
  expectElement,
  whole,
  type DerElement,
} from '../der/element.js';
import type { CertificateView } from '../x509/certificate.js';

const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const RSA_PKCS1: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const ECDSA: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const RSA_KEY = '1.2.840.113549.1.1.1';
const EC_KEY = '1.2.840.10045.2.1';
/** Named curve → WebCrypto name and field size in bytes (r and s of a raw signature). */
const CURVES: Record<string, { name: string; bytes: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bytes: 32 },
  '1.3.132.0.34': { name: 'P-384', bytes: 48 },
  '1.3.132.0.35': { name: 'P-521', bytes: 66 },
};

type Plan = {
  import: RsaHashedImportParams | EcKeyImportParams;
  verify: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  signature: Bytes;
};

/** Does `cert`'s signature verify with `issuerSpki` (a SubjectPublicKeyInfo, DER)? */
export async function verifyCertificateSignature(
  cert: CertificateView,
  issuerSpki: Bytes,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<VerifyOutcome> {
  let plan: Plan | string;
  try {
    plan = signaturePlan(cert, issuerSpki);
  } catch (e) {
    if (e instanceof DerError) return { ok: false, reason: `not well-formed: ${e.message}` };
    throw e;
  }
  if (typeof plan === 'string') return { ok: false, reason: plan };
  let key: CryptoKey;
  try {
    key = await subtle.importKey('spki', issuerSpki as BufferSource, plan.import, false, ['verify']);
  } catch (e) {
    return { ok: false, reason: `the candidate's key could not be imported: ${(e as Error).message}` };
  }
  const tbs = whole(cert.der, cert.tbs);
  const ok = await subtle
    .verify(plan.verify, key, plan.signature as BufferSource, tbs as BufferSource)
    .catch(() => false);
  return ok
    ? { ok: true }
    : { ok: false, reason: "the certificate's signature does not verify with the candidate's key" };
}

/** How to verify, or why it cannot be (a phrase). Throws DerError for DER that does not parse. */
function signaturePlan(cert: CertificateView, spki: Bytes): Plan | string {
  const der = cert.der;
  const [, algorithm, value] = children(
    der,
    expectElement(der, 0, der.length, TAG.SEQUENCE, 'Certificate'),
    'Certificate',
  );
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE || !value || value.tag !== TAG.BIT_STRING) {
    throw new DerError('Certificate is not { tbsCertificate, signatureAlgorithm, signatureValue }');
  }
  // §4.1.1.2: signatureAlgorithm MUST be the same as the TBSCertificate's signature field.
  const inner = cert.tbsFields[cert.issuerIndex - 1];
  if (!inner || !equalBytes(whole(der, inner), whole(der, algorithm))) {
    return "the certificate's two signature algorithm fields differ (RFC 5280 §4.1.1.2)";
  }
  const [oidEl, params] = children(der, algorithm, 'signatureAlgorithm');
  if (!oidEl || oidEl.tag !== TAG.OID) throw new DerError('signatureAlgorithm has no OID');
  const oid = decodeOid(content(der, oidEl));
  const bits = content(der, value);
  if (bits[0] !== 0) return 'the signature is not a whole number of octets';
  const signature = bits.subarray(1);
  const key = keyOf(spki);
  if (RSA_PKCS1[oid] || oid === RSA_PSS) {
    if (key.type !== 'rsa') return `an RSA signature, but the candidate's key is ${key.type}`;
    if (RSA_PKCS1[oid]) {
      if (params && params.tag !== TAG.NULL) return 'RSA signature parameters that are not NULL';
      return {
        import: { name: 'RSASSA-PKCS1-v1_5', hash: RSA_PKCS1[oid]! },
        verify: { name: 'RSASSA-PKCS1-v1_5' },
        signature,
      };
    }
    const pss = params ? pssParams(der, params) : 'RSASSA-PSS without parameters (SHA-1 defaults)';
    if (typeof pss === 'string') return pss;
    return {
      import: { name: 'RSA-PSS', hash: pss.hash },
      verify: { name: 'RSA-PSS', saltLength: pss.saltLength },
      signature,
    };
  }
  const hash = ECDSA[oid];
  if (!hash) return `signature algorithm ${oid} is not supported`;
  if (params) return 'ECDSA signature parameters must be absent (RFC 5758 §3.2)';
  if (key.type !== 'ec') return `an ECDSA signature, but the candidate's key is ${key.type}`;
  const curve = CURVES[key.curve];
  if (!curve) return `the candidate's EC key is on curve ${key.curve}, not P-256, P-384 or P-521`;
  return {
    import: { name: 'ECDSA', namedCurve: curve.name },
    verify: { name: 'ECDSA', hash },
    signature: ecdsaDerToRaw(signature, curve.bytes),
  };
}

/** 'rsa', 'ec' (with its named curve's OID), or a phrase naming another key. */
interface KeyKind {
  readonly type: string;
  readonly curve: string;
}

/** The key's algorithm (RFC 5280 §4.1.2.7); WebCrypto checks the key itself when importing it. */
function keyOf(spki: Bytes): KeyKind {
  const outer = expectElement(spki, 0, spki.length, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const [algorithm] = children(spki, outer, 'SubjectPublicKeyInfo');
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE)
    throw new DerError('SubjectPublicKeyInfo has no AlgorithmIdentifier');
  const [oidEl, params] = children(spki, algorithm, 'AlgorithmIdentifier');
  if (!oidEl || oidEl.tag !== TAG.OID) throw new DerError('the key AlgorithmIdentifier has no OID');
  const oid = decodeOid(content(spki, oidEl));
  if (oid === RSA_KEY) return { type: 'rsa', curve: '' };
  if (oid !== EC_KEY) return { type: `a ${oid} key`, curve: '' };
  const curve = params?.tag === TAG.OID ? decodeOid(content(spki, params)) : 'not named';
  return { type: 'ec', curve };
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): hashAlgorithm [0], maskGenAlgorithm [1], saltLength [2],
 * trailerField [3]. WebCrypto's RSA-PSS uses MGF1 over the signature's hash, trailer 0xbc.
 */
function pssParams(der: Bytes, params: DerElement): { hash: string; saltLength: number } | string {
  if (params.tag !== TAG.SEQUENCE) throw new DerError('RSASSA-PSS-params is not a SEQUENCE');
  const fields = new Map(children(der, params, 'RSASSA-PSS-params').map((f) => [f.tag, f]));
  /** A HashAlgorithm (an AlgorithmIdentifier) → WebCrypto's name, or undefined. */
  const hashName = (id: DerElement | undefined): string | undefined => {
    if (id?.tag !== TAG.SEQUENCE) return undefined;
    const [oid] = children(der, id, 'AlgorithmIdentifier');
    return oid?.tag === TAG.OID ? HASHES[decodeOid(content(der, oid))] : undefined;
  };
  const explicit = (el: DerElement | undefined) =>
    el ? expectElement(der, el.contentStart, el.end, TAG.SEQUENCE, 'AlgorithmIdentifier') : undefined;
  const hashOf = (el: DerElement | undefined) => hashName(explicit(el));
  const hash = hashOf(fields.get(contextTag(0, true)));
  if (!hash) return 'RSASSA-PSS with a hash other than SHA-256, SHA-384 or SHA-512';
  const mgf = fields.get(contextTag(1, true));
  if (!mgf) return 'RSASSA-PSS with the default MGF1-SHA-1 mask';
  const [mgfOid, mgfHash] = children(der, explicit(mgf)!, 'maskGenAlgorithm');
  if (!mgfOid || mgfOid.tag !== TAG.OID || decodeOid(content(der, mgfOid)) !== MGF1 || hashName(mgfHash) !== hash) {
    return 'RSASSA-PSS whose mask is not MGF1 over the same hash';
  }
  const salt = fields.get(contextTag(2, true));
  const saltLength = salt ? smallInteger(der, salt) : 20;
  const trailer = fields.get(contextTag(3, true));
  if (trailer && smallInteger(der, trailer) !== 1) return 'RSASSA-PSS with a trailer field other than 1';
  return { hash, saltLength };
}

/** An [n] EXPLICIT INTEGER of at most 2 bytes. */
function smallInteger(der: Bytes, wrapper: DerElement): number {
  const int = expectElement(der, wrapper.contentStart, wrapper.end, TAG.INTEGER, 'INTEGER');
  const octets = content(der, int);
  if (octets.length === 0 || octets.length > 2 || octets[0]! & 0x80)
    throw new DerError('an RSASSA-PSS integer out of range');
  return octets.reduce((n, b) => n * 256 + b, 0);
}
