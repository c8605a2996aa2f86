/**
 * Rebuilds the TBSCertificate a log signed in a precert_entry (RFC 6962 §3.2), from the
 * original DER: removed extensions are cut out and only the enclosing lengths are re-encoded,
 * so every other byte (extension order, string types, criticality) stays exactly as issued.
 */
import { concatBytes, type Bytes } from '../bytes.js';
import { TAG, contextTag, encodeLength, readElement, whole } from '../der/element.js';
import { OID, findExtension, type CertificateView } from './certificate.js';

const tlv = (tag: number, body: Bytes): Bytes => concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);

export interface PrecertTbsOptions {
  /**
   * RFC 6962 §3.1, for a precertificate issued by a Precertificate Signing Certificate: the TBS
   * the log signs carries the final issuer's name (the signing certificate's issuer) and its
   * authority key identifier.
   */
  readonly precertSigner?: CertificateView;
}

/**
 * The TBSCertificate without the SCT list and poison extensions. For a final certificate this is
 * the precertificate's TBS the log signed; for a precertificate it removes the poison.
 * Precondition: `cert` came from parseCertificate.
 */
export function precertTbs(cert: CertificateView, options: PrecertTbsOptions = {}): Bytes {
  const der = cert.der;
  const signer = options.precertSigner;
  const parts: Bytes[] = [];
  cert.tbsFields.forEach((field, index) => {
    if (index === cert.issuerIndex && signer) parts.push(signer.issuer);
    else if (field === cert.extensionsWrapper) {
      const extensions = rebuildExtensions(cert, signer);
      if (extensions.length > 0) parts.push(tlv(contextTag(3, true), tlv(TAG.SEQUENCE, concatBytes(...extensions))));
    } else parts.push(whole(der, field));
  });
  return tlv(TAG.SEQUENCE, concatBytes(...parts));
}

const REMOVED = new Set<string>([OID.SCT_LIST, OID.PRECERT_POISON]);

function rebuildExtensions(cert: CertificateView, signer: CertificateView | undefined): Bytes[] {
  const out: Bytes[] = [];
  // As certificate-transparency-go's BuildPrecertTBS: an existing AKI takes the signer's AKI value
  // (or is dropped when the signer has none); a missing one is appended when the signer has one.
  const signerAki = signer ? findExtension(signer, OID.AUTHORITY_KEY_ID) : undefined;
  let akiSeen = false;
  for (const ext of cert.extensions) {
    if (REMOVED.has(ext.oid)) continue;
    if (signer && ext.oid === OID.AUTHORITY_KEY_ID) {
      akiSeen = true;
      if (signerAki) out.push(withValue(cert.der, ext.element, signerAki.value));
      continue;
    }
    out.push(whole(cert.der, ext.element));
  }
  if (signer && signerAki && !akiSeen) out.push(whole(signer.der, signerAki.element));
  return out;
}

/** The Extension with its extnValue replaced, keeping extnID and critical as encoded. */
function withValue(der: Bytes, ext: { contentStart: number; end: number }, value: Bytes): Bytes {
  const kept: Bytes[] = [];
  let offset = ext.contentStart;
  while (offset < ext.end) {
    const child = readElement(der, offset, ext.end);
    if (child.tag !== TAG.OCTET_STRING) kept.push(whole(der, child));
    offset = child.end;
  }
  return tlv(TAG.SEQUENCE, concatBytes(...kept, tlv(TAG.OCTET_STRING, value)));
}
