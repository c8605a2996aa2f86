/**
 * Key identifiers (RFC 5280 §4.2.1.1, §4.2.1.2): how a certificate names its issuer's key
 * (authorityKeyIdentifier's keyIdentifier) and how a CA certificate names its own key
 * (subjectKeyIdentifier). Issuers are looked up by them: a CA's subject key identifier is the
 * authority key identifier of what it issues. An identifier only points at a candidate; only the
 * candidate's signature on the certificate makes it the issuer (certificate-signature.ts).
 */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, children, content, contextTag, expectElement } from '../der/element.js';
import { OID, findExtension, type CertificateView } from '../x509/certificate.js';

const SUBJECT_KEY_ID = '2.5.29.14';

/**
 * AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT KeyIdentifier OPTIONAL, … }.
 * Undefined when the extension or its keyIdentifier is absent. Throws DerError when the extension
 * is not DER. Precondition: `cert` came from parseCertificate.
 */
export function authorityKeyId(cert: CertificateView): Bytes | undefined {
  const value = findExtension(cert, OID.AUTHORITY_KEY_ID)?.value;
  if (!value) return undefined;
  const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, 'authorityKeyIdentifier');
  if (seq.end !== value.length) throw new DerError('authorityKeyIdentifier has trailing bytes');
  const first = children(value, seq, 'authorityKeyIdentifier')[0];
  if (first?.tag !== contextTag(0, false)) return undefined;
  const id = content(value, first);
  if (id.length === 0) throw new DerError('authorityKeyIdentifier keyIdentifier is empty');
  return id;
}

/** SubjectKeyIdentifier ::= KeyIdentifier (an OCTET STRING). Undefined when absent; DerError when not DER. */
export function subjectKeyId(cert: CertificateView): Bytes | undefined {
  const value = findExtension(cert, SUBJECT_KEY_ID)?.value;
  if (!value) return undefined;
  const octets = expectElement(value, 0, value.length, TAG.OCTET_STRING, 'subjectKeyIdentifier');
  if (octets.end !== value.length) throw new DerError('subjectKeyIdentifier has trailing bytes');
  const id = content(value, octets);
  if (id.length === 0) throw new DerError('subjectKeyIdentifier is empty');
  return id;
}
