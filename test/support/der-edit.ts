/**
 * Building and editing DER for tests: TLVs, and a certificate rebuilt with one extension's value
 * replaced (every enclosing length re-encoded; all other bytes kept). The certificate's signature
 * is not recomputed: ctlens does not check it.
 */
import { concatBytes, type Bytes } from '../../src/bytes.js';
import { TAG, children, contextTag, encodeLength, readElement, whole } from '../../src/der/element.js';
import { findExtension, parseCertificate } from '../../src/x509/certificate.js';

export const tlv = (tag: number, ...body: Bytes[]): Bytes => {
  const content = concatBytes(...body);
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
};

/** DER of an OBJECT IDENTIFIER from its dotted form (arcs < 2^53). */
export function oid(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number);
  const first = arcs[0]! * 40 + arcs[1]!;
  const octets: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const group: number[] = [arc % 128];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift(0x80 | (n % 128));
    octets.push(...group);
  }
  return tlv(TAG.OID, Uint8Array.from(octets));
}

/** An Extension SEQUENCE { extnID, [critical], extnValue OCTET STRING }. */
export const extension = (dotted: string, value: Bytes, critical = false): Bytes =>
  tlv(
    TAG.SEQUENCE,
    oid(dotted),
    critical ? Uint8Array.of(0x01, 0x01, 0xff) : new Uint8Array(),
    tlv(TAG.OCTET_STRING, value),
  );

/**
 * The certificate with the extnValue of extension `oidText` replaced by `extnValue` (the content of
 * the OCTET STRING), keeping extnID, criticality, and every other byte of the certificate.
 */
export function replaceExtensionValue(certDer: Bytes, oidText: string, extnValue: Bytes): Bytes {
  const cert = parseCertificate(certDer);
  const target = findExtension(cert, oidText);
  if (!target || !cert.extensionsWrapper || !cert.extensionsSequence) throw new Error(`no extension ${oidText}`);
  const der = cert.der;
  const rebuiltExt = tlv(
    TAG.SEQUENCE,
    ...children(der, target.element)
      .filter((el) => el.tag !== TAG.OCTET_STRING)
      .map((el) => whole(der, el)),
    tlv(TAG.OCTET_STRING, extnValue),
  );
  const exts = children(der, cert.extensionsSequence).map((el) =>
    el.start === target.element.start ? rebuiltExt : whole(der, el),
  );
  const wrapper = tlv(contextTag(3, true), tlv(TAG.SEQUENCE, ...exts));
  const tbs = tlv(TAG.SEQUENCE, ...cert.tbsFields.map((f) => (f === cert.extensionsWrapper ? wrapper : whole(der, f))));
  const outer = readElement(der, 0);
  const [, algorithm, signature] = children(der, outer);
  return tlv(TAG.SEQUENCE, tbs, whole(der, algorithm!), whole(der, signature!));
}
