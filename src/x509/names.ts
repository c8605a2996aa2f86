/**
 * A certificate's names for people, read from its DER with the strict walker (src/der): the
 * subject and issuer as RFC 4514 strings, and the subjectAltName entries (RFC 5280 §4.2.1.6).
 * The same text as pkijs gives (test/support/pkijs-describe.ts, the tests' oracle), in
 * microseconds; describe.ts shows it.
 */
import { toHex, type Bytes } from '../bytes.js';
import { children, content, decodeOid, DerError, expectElement, TAG, whole, type DerElement } from '../der/element.js';
import type { CertificateView } from './certificate.js';

/** RFC 4514 §3 attribute type names (and a few in common use); others are shown by OID. */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.15': 'businessCategory',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const SUBJECT_ALT_NAME = '2.5.29.17';

export interface CertificateNames {
  readonly subject: string;
  readonly issuer: string;
  /** `DNS:…`, `email:…`, `URI:…`, `IP:…`, or `other:<tag>` for the other GeneralName forms. */
  readonly subjectAltNames: readonly string[];
}

/** Throws DerError naming what is malformed. Precondition: `view` from parseCertificate. */
export function certificateNames(view: CertificateView): CertificateNames {
  const san = view.extensions.find((x) => x.oid === SUBJECT_ALT_NAME);
  return {
    subject: formatName(view.subject, 'subject'),
    issuer: formatName(view.issuer, 'issuer'),
    subjectAltNames: san ? generalNames(san.value) : [],
  };
}

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName, each a SET OF AttributeTypeAndValue
 * (RFC 5280 §4.1.2.4), as pkijs's reading gives it, which the project showed first: every
 * attribute, the last first, "," between them (RFC 4514 §2.1); the attributes of a multi-valued
 * RDN are listed as if each were an RDN of its own, not joined by "+" as §2.1 would.
 */
function formatName(der: Bytes, what: string): string {
  const name = expectElement(der, 0, der.length, TAG.SEQUENCE, what);
  const attributes = children(der, name, what).flatMap((rdn) => {
    if (rdn.tag !== TAG.SET) throw new DerError(`${what}: RelativeDistinguishedName is not a SET`);
    return children(der, rdn, what).map((atv) => attribute(der, atv, what));
  });
  return attributes.reverse().join(',');
}

/**
 * AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY } as `type=value` (RFC 4514 §2.3). A
 * value that is not a string is `#` and its DER in hex (§2.4), escaped like a string, as
 * pkijs's reading writes it.
 */
function attribute(der: Bytes, atv: DerElement, what: string): string {
  if (atv.tag !== TAG.SEQUENCE) throw new DerError(`${what}: AttributeTypeAndValue is not a SEQUENCE`);
  const [type, value, extra] = children(der, atv, what);
  if (!type || type.tag !== TAG.OID || !value || extra) {
    throw new DerError(`${what}: AttributeTypeAndValue must be an OID and one value`);
  }
  const oid = decodeOid(content(der, type));
  const text = directoryString(der, value) ?? `#${toHex(whole(der, value))}`;
  return `${ATTRIBUTE_NAMES[oid] ?? oid}=${escapeValue(text)}`;
}

/** RFC 4514 §2.4: the special characters, a leading space or #, a trailing space (here and in describe.ts). */
export const escapeValue = (v: string): string =>
  v
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');

/** String tags whose octets are one character each (X.680 §41; TeletexString read as Latin-1, as asn1js does). */
const BYTE_STRINGS = new Set([
  0x12, // NumericString
  0x13, // PrintableString
  0x14, // TeletexString
  0x15, // VideotexString
  0x16, // IA5String
  0x17, // UTCTime
  0x18, // GeneralizedTime
  0x19, // GraphicString
  0x1a, // VisibleString
  0x1b, // GeneralString
]);

/** The text of a string-typed value (UTF8String, BMPString, UniversalString, the byte strings); else undefined. */
function directoryString(der: Bytes, el: DerElement): string | undefined {
  const octets = content(der, el);
  if (el.tag === 0x0c) return new TextDecoder().decode(octets); // UTF8String; bad sequences become U+FFFD
  if (BYTE_STRINGS.has(el.tag)) return latin1(octets);
  if (el.tag === 0x1e) return codeUnits(octets, 2, 'BMPString'); // UCS-2, big-endian
  if (el.tag === 0x1c) return codeUnits(octets, 4, 'UniversalString'); // UCS-4, big-endian
  return undefined;
}

function latin1(octets: Bytes): string {
  let out = '';
  for (const b of octets) out += String.fromCharCode(b);
  return out;
}

function codeUnits(octets: Bytes, width: 2 | 4, type: string): string {
  if (octets.length % width !== 0) {
    throw new DerError(`${type} of ${octets.length} octets is not a whole number of characters`);
  }
  let out = '';
  for (let i = 0; i < octets.length; i += width) {
    let cp = 0;
    for (let k = 0; k < width; k++) cp = cp * 256 + octets[i + k]!;
    if (cp > 0x10ffff) throw new DerError(`${type}: U+${cp.toString(16)} is not a Unicode code point`);
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** GeneralNames ::= SEQUENCE OF GeneralName (RFC 5280 §4.2.1.6), the SAN extension's value. */
function generalNames(value: Bytes): string[] {
  const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, 'subjectAltName');
  if (seq.end !== value.length) throw new DerError('subjectAltName: trailing bytes after GeneralNames');
  return children(value, seq, 'subjectAltName').map((name) => generalName(value, name));
}

function generalName(der: Bytes, el: DerElement): string {
  const number = el.tag & 0x1f;
  if ((el.tag & 0xc0) !== 0x80) {
    throw new DerError(`subjectAltName: GeneralName with tag 0x${el.tag.toString(16)} is not context-specific`);
  }
  const octets = content(der, el);
  // rfc822Name [1], dNSName [2], uniformResourceIdentifier [6]: IA5String; iPAddress [7]: OCTET STRING.
  if (el.tag === 0x81) return `email:${latin1(octets)}`;
  if (el.tag === 0x82) return `DNS:${latin1(octets)}`;
  if (el.tag === 0x86) return `URI:${latin1(octets)}`;
  if (el.tag === 0x87) return `IP:${formatIp(octets)}`;
  return `other:${number}`;
}

/** IPv4 dotted; IPv6 as 8 hex groups, the first run of zero groups written "::"; other lengths in hex. */
export function formatIp(bytes: Bytes): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return toHex(bytes);
}
