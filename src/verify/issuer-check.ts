/**
 * Did the certificate given as the issuer issue this one? Asked only after an SCT failed over an
 * entry built from that issuer (precert_entry's issuer_key_hash, RFC 6962 §3.2), to tell a wrong
 * chain (`wrong-issuer`) from a bad SCT (`invalid-signature`). Whatever it answers, no SCT becomes
 * valid: only the SCT's own signature makes it valid.
 *
 * The cryptographic check comes first (RFC 5280 §6.1.3 (a)(1)): when the certificate's signature
 * verifies with the issuer's key, the issuer is right, whatever the names' bytes. The WebCrypto
 * verifier checks sha256WithRSAEncryption (RFC 4055 §5) with an RSA key and ecdsa-with-SHA256
 * (RFC 5758 §3.2) with a P-256 key, importing each key once (its cache). A signature that does not
 * verify proves nothing by itself: the certificate may have been altered (a damaged SCT list
 * changes the TBS too). So the issuer is wrong only on evidence about its identity: its subject is
 * not the certificate's issuer name (§6.1.3 (a)(4)), or its subject key identifier is not the
 * certificate's authority key identifier (§4.2.1.1, §4.2.1.2).
 */
import { equalBytes, type Bytes } from '../bytes.js';
import { ecdsaDerToRaw } from '../crypto/ecdsa-signature.js';
import { publicKeyKind } from '../crypto/public-key.js';
import type { KeyAlgorithm, SignatureVerifier } from '../crypto/verify.js';
import { DerError, TAG, children, content, contextTag, decodeOid, expectElement, whole } from '../der/element.js';
import { OID, findExtension, type CertificateView } from '../x509/certificate.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SUBJECT_KEY_ID = '2.5.29.14';

/**
 * Why `issuer` did not issue `cert` (a phrase for people), or undefined when nothing shows that
 * it did not. Never throws for malformed signatures, keys or key identifiers: what cannot be read
 * proves nothing either way. Precondition: both came from parseCertificate.
 */
export async function whyNotIssuedBy(
  cert: CertificateView,
  issuer: CertificateView,
  verifier: SignatureVerifier,
): Promise<string | undefined> {
  const signed = checkableSignature(cert, issuer);
  if (signed && (await importable(verifier, issuer.spki, signed.algorithm))) {
    const outcome = await verifier.verify(issuer.spki, signed.algorithm, signed.signature, whole(cert.der, cert.tbs));
    if (outcome.ok) return undefined;
  }
  const names = nameMismatch(cert, issuer);
  if (names) return names;
  const authority = authorityKeyId(cert);
  const subject = subjectKeyId(issuer);
  if (authority && subject && !equalBytes(authority, subject)) {
    return "its subject key identifier is not the certificate's authority key identifier (RFC 5280 §4.2.1.1)";
  }
  return undefined;
}

/** RFC 5280 §6.1.3 (a)(4): why `issuer`'s subject is not `cert`'s issuer name (DER bytes), or undefined. */
export const nameMismatch = (cert: CertificateView, issuer: CertificateView): string | undefined =>
  equalBytes(issuer.subject, cert.issuer)
    ? undefined
    : "its subject is not the certificate's issuer name (names differ; RFC 5280 §6.1.3 (a)(4))";

const importable = (verifier: SignatureVerifier, spki: Bytes, algorithm: KeyAlgorithm): Promise<boolean> =>
  verifier.key(spki, algorithm).then(
    () => true,
    () => false,
  );

/**
 * The certificate's signature (RFC 5280 §4.1.1.2, §4.1.1.3) when the verifier can check it with
 * the issuer's key: an algorithm it supports, a well-formed value (ECDSA: a DER ECDSA-Sig-Value).
 */
function checkableSignature(
  cert: CertificateView,
  issuer: CertificateView,
): { algorithm: KeyAlgorithm; signature: Bytes } | undefined {
  try {
    const der = cert.der;
    const [, algorithmId, value] = children(der, expectElement(der, 0, der.length, TAG.SEQUENCE, 'Certificate'));
    if (!algorithmId || algorithmId.tag !== TAG.SEQUENCE || !value || value.tag !== TAG.BIT_STRING) return undefined;
    const oid = expectElement(der, algorithmId.contentStart, algorithmId.end, TAG.OID, 'signatureAlgorithm');
    const name = decodeOid(content(der, oid));
    const bits = content(der, value);
    if (bits[0] !== 0) return undefined; // a signature is a whole number of octets
    const signature = bits.subarray(1);
    const key = publicKeyKind(issuer.spki).type;
    if (name === SHA256_WITH_RSA && key === 'rsa') return { algorithm: 'rsa', signature };
    if (name === ECDSA_WITH_SHA256 && key === 'ecdsa-p256') {
      ecdsaDerToRaw(signature); // throws DerError when it is not one
      return { algorithm: 'ecdsa-p256', signature };
    }
    return undefined;
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … } (§4.2.1.1). */
function authorityKeyId(cert: CertificateView): Bytes | undefined {
  const value = findExtension(cert, OID.AUTHORITY_KEY_ID)?.value;
  if (!value) return undefined;
  try {
    const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, 'authorityKeyIdentifier');
    const first = children(value, seq, 'authorityKeyIdentifier')[0];
    return first?.tag === contextTag(0, false) ? content(value, first) : undefined;
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

/** SubjectKeyIdentifier ::= KeyIdentifier, an OCTET STRING (§4.2.1.2). */
function subjectKeyId(cert: CertificateView): Bytes | undefined {
  const value = findExtension(cert, SUBJECT_KEY_ID)?.value;
  if (!value) return undefined;
  try {
    const octets = expectElement(value, 0, value.length, TAG.OCTET_STRING, 'subjectKeyIdentifier');
    return octets.end === value.length ? content(value, octets) : undefined;
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}
