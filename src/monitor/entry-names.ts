/**
 * The names a log entry's certificate is for, read on the monitor's hot path (every entry of
 * every log) with the strict DER walker (src/der): the subject's commonName attributes (RFC 5280
 * §4.1.2.6) and the subjectAltName's dNSName and iPAddress entries (§4.2.1.6). Nothing is
 * copied or parsed beyond what is needed; a full description is made only for matches.
 */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, contextTag, expectElement, readElement, type DerElement } from '../der/element.js';

export interface EntryNames {
  /** dNSName values as written (IA5String, so one byte per character). */
  readonly dnsNames: readonly string[];
  /** iPAddress octets: 4 (IPv4) or 16 (IPv6) bytes; other lengths are kept and never match. */
  readonly ipAddresses: readonly Bytes[];
  /** commonName values of the subject, decoded from their string type. */
  readonly commonNames: readonly string[];
}

/** id-at-commonName 2.5.4.3 and id-ce-subjectAltName 2.5.29.17, as OID content octets. */
const CN_OID = [0x55, 0x04, 0x03];
const SAN_OID = [0x55, 0x1d, 0x11];
const DNS_NAME = contextTag(2, false);
const IP_ADDRESS = contextTag(7, false);

const isOid = (bytes: Bytes, el: DerElement, oid: readonly number[]): boolean =>
  el.tag === TAG.OID &&
  el.end - el.contentStart === oid.length &&
  oid.every((b, i) => bytes[el.contentStart + i] === b);

/** The names of a Certificate (RFC 5280 §4.1). Throws DerError naming what is malformed. */
export function certificateEntryNames(der: Bytes): EntryNames {
  const outer = expectElement(der, 0, der.length, TAG.SEQUENCE, 'Certificate');
  const tbs = expectElement(der, outer.contentStart, outer.end, TAG.SEQUENCE, 'TBSCertificate');
  return tbsNames(der, tbs);
}

/** The names of a TBSCertificate (a precert_entry's, RFC 6962 §3.2). Throws DerError. */
export function tbsEntryNames(der: Bytes): EntryNames {
  return tbsNames(der, expectElement(der, 0, der.length, TAG.SEQUENCE, 'TBSCertificate'));
}

function tbsNames(der: Bytes, tbs: DerElement): EntryNames {
  const names = { dnsNames: [] as string[], ipAddresses: [] as Bytes[], commonNames: [] as string[] };
  let offset = tbs.contentStart;
  const next = (what: string): DerElement => {
    const el = readElement(der, offset, tbs.end, what);
    offset = el.end;
    return el;
  };
  let first = next('TBSCertificate');
  if (first.tag === contextTag(0, true)) first = next('serialNumber'); // version [0] EXPLICIT
  next('signature');
  next('issuer');
  next('validity');
  const subject = next('subject');
  if (subject.tag !== TAG.SEQUENCE) throw new DerError('subject is not a SEQUENCE');
  readCommonNames(der, subject, names.commonNames);
  next('subjectPublicKeyInfo');
  while (offset < tbs.end) {
    const field = next('TBSCertificate field');
    if (field.tag !== contextTag(3, true)) continue; // issuerUniqueID [1], subjectUniqueID [2]
    const extensions = expectElement(der, field.contentStart, field.end, TAG.SEQUENCE, 'extensions');
    for (let at = extensions.contentStart; at < extensions.end; ) {
      const ext = expectElement(der, at, extensions.end, TAG.SEQUENCE, 'Extension');
      at = ext.end;
      const id = readElement(der, ext.contentStart, ext.end, 'extnID');
      if (!isOid(der, id, SAN_OID)) continue;
      let valueAt = id.end;
      const maybeCritical = readElement(der, valueAt, ext.end, 'Extension');
      if (maybeCritical.tag === TAG.BOOLEAN) valueAt = maybeCritical.end;
      const value = expectElement(der, valueAt, ext.end, TAG.OCTET_STRING, 'subjectAltName extnValue');
      readGeneralNames(der, value, names);
    }
  }
  return names;
}

/** Name ::= SEQUENCE OF SET OF AttributeTypeAndValue: every CN value. */
function readCommonNames(der: Bytes, name: DerElement, out: string[]): void {
  for (let at = name.contentStart; at < name.end; ) {
    const rdn = expectElement(der, at, name.end, TAG.SET, 'RelativeDistinguishedName');
    at = rdn.end;
    for (let a = rdn.contentStart; a < rdn.end; ) {
      const atv = expectElement(der, a, rdn.end, TAG.SEQUENCE, 'AttributeTypeAndValue');
      a = atv.end;
      const type = readElement(der, atv.contentStart, atv.end, 'attribute type');
      if (!isOid(der, type, CN_OID)) continue;
      const value = readElement(der, type.end, atv.end, 'commonName');
      const text = stringValue(der, value);
      if (text !== undefined) out.push(text);
    }
  }
}

/** GeneralNames ::= SEQUENCE OF GeneralName, inside the extnValue OCTET STRING. */
function readGeneralNames(der: Bytes, value: DerElement, names: { dnsNames: string[]; ipAddresses: Bytes[] }): void {
  const seq = expectElement(der, value.contentStart, value.end, TAG.SEQUENCE, 'subjectAltName');
  if (seq.end !== value.end) throw new DerError('subjectAltName: trailing bytes after GeneralNames');
  for (let at = seq.contentStart; at < seq.end; ) {
    const name = readElement(der, at, seq.end, 'GeneralName');
    at = name.end;
    if (name.tag === DNS_NAME) names.dnsNames.push(latin1(der, name.contentStart, name.end));
    else if (name.tag === IP_ADDRESS) names.ipAddresses.push(der.subarray(name.contentStart, name.end));
  }
}

/** UTF8String, BMPString and the one-byte string types (X.680 §41); other types: undefined. */
function stringValue(der: Bytes, el: DerElement): string | undefined {
  if (el.tag === 0x0c) return new TextDecoder().decode(der.subarray(el.contentStart, el.end));
  if (el.tag === 0x13 || el.tag === 0x16 || el.tag === 0x14) return latin1(der, el.contentStart, el.end);
  if (el.tag === 0x1e) {
    let out = '';
    for (let i = el.contentStart; i + 1 < el.end; i += 2) out += String.fromCharCode((der[i]! << 8) | der[i + 1]!);
    return out;
  }
  return undefined;
}

function latin1(der: Bytes, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(der[i]!);
  return out;
}
