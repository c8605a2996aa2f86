/**
 * Names and SANs read from the DER (src/x509/names.ts, what the CLI and the extension show) are
 * the text pkijs's reading gives (test/support/pkijs-describe.ts, an independent oracle): every real and RFC 6962
 * test certificate, and one rebuilt with every string type, escapes, a multi-valued RDN, a
 * non-string value and every GeneralName form.
 */
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/bytes.js';
import { TAG, children, contextTag, readElement, whole } from '../../src/der/element.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { describeCertificate } from '../../src/x509/describe.js';
import { describeWithPkijs } from '../support/pkijs-describe.js';
import { certificateNames } from '../../src/x509/names.js';
import { oid, replaceExtensionValue, tlv } from '../support/der-edit.js';
import { pemCerts } from '../support/fixtures.js';

const FIXTURES = [
  'real/badssl-invalid-expected-sct-leaf.pem',
  'real/badssl-invalid-expected-sct-issuer.pem',
  'real/badssl-wildcard-ecc256-leaf.pem',
  'real/badssl-wildcard-rsa2048-leaf.pem',
  'real/facebook-wildcard-leaf.pem',
  'real/facebook-wildcard-issuer.pem',
  'real/google-mail-leaf.pem',
  'real/google-mail-issuer.pem',
  'rfc6962/ca-cert.pem',
  'rfc6962/ca-pre-cert.pem',
  'rfc6962/intermediate-cert.pem',
  'rfc6962/test-cert.pem',
  'rfc6962/test-embedded-cert.pem',
  'rfc6962/test-embedded-pre-cert.pem',
  'rfc6962/test-intermediate-cert.pem',
];

const fromPkijs = (der: Bytes) => {
  const { subject, issuer, subjectAltNames } = describeWithPkijs(der);
  return { subject, issuer, subjectAltNames };
};

describe('names from the DER are the pkijs description', () => {
  it.each(FIXTURES)('%s', (name) => {
    const der = pemCerts(name)[0]!;
    expect(certificateNames(parseCertificate(der))).toEqual(fromPkijs(der));
  });

  it.each(FIXTURES)('the whole summary of %s is the pkijs summary', (name) => {
    const der = pemCerts(name)[0]!;
    expect(describeCertificate(der)).toEqual(describeWithPkijs(der));
  });
});

// Attribute values by type (X.680 §41): UTF8String, PrintableString, TeletexString, IA5String,
// BMPString (UTF-16BE), UniversalString (UTF-32BE), and an INTEGER (not a string: #hex).
const utf8 = (s: string) => new TextEncoder().encode(s);
const bmp = (s: string) => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
const ucs4 = (s: string) =>
  Uint8Array.from(
    [...s].flatMap((c) => {
      const cp = c.codePointAt(0)!;
      return [cp >>> 24, (cp >> 16) & 0xff, (cp >> 8) & 0xff, cp & 0xff];
    }),
  );
const atv = (type: string, tag: number, value: Bytes) => tlv(TAG.SEQUENCE, oid(type), tlv(tag, value));
const rdn = (...atvs: Bytes[]) => tlv(TAG.SET, ...atvs);

const NAME = tlv(
  TAG.SEQUENCE,
  rdn(atv('2.5.4.6', 0x13, utf8('CH'))),
  rdn(atv('2.5.4.10', 0x0c, utf8('Bücher, "Zürich" + <Söhne>; a=b \\ end '))),
  rdn(atv('2.5.4.11', 0x1e, bmp('Ünit Ω')), atv('2.5.4.7', 0x14, Uint8Array.of(0x4c, 0x79, 0xf6, 0x6e))),
  rdn(atv('1.2.840.113549.1.9.1', 0x16, utf8('#hash@example.org'))),
  rdn(atv('1.3.6.1.4.1.99999.1', 0x1c, ucs4('x𝒳y'))),
  rdn(atv('2.5.4.5', 0x02, Uint8Array.of(0x01, 0x00))),
  rdn(atv('2.5.4.3', 0x0c, utf8(' spaced.example'))),
);

// GeneralNames (RFC 5280 §4.2.1.6): otherName [0], rfc822Name [1], dNSName [2], directoryName [4],
// URI [6], iPAddress [7] (v4, v6 with a zero run), registeredID [8].
const SAN = tlv(
  TAG.SEQUENCE,
  tlv(contextTag(0, true), oid('1.3.6.1.4.1.311.20.2.3'), tlv(contextTag(0, true), tlv(0x0c, utf8('upn')))),
  tlv(0x81, utf8('someone@example.org')),
  tlv(0x82, utf8('*.example.org')),
  tlv(contextTag(4, true), tlv(TAG.SEQUENCE, rdn(atv('2.5.4.3', 0x0c, utf8('dir'))))),
  tlv(0x86, utf8('https://example.org/x')),
  tlv(0x87, Uint8Array.of(192, 0, 2, 7)),
  tlv(0x87, Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
  tlv(0x88, oid('1.2.3.4').subarray(2)),
);

/** The certificate with its subject Name replaced (signature not recomputed: neither reader checks it). */
function withSubject(certDer: Bytes, name: Bytes): Bytes {
  const cert = parseCertificate(certDer);
  const subjectIndex = cert.issuerIndex + 2;
  const tbs = tlv(TAG.SEQUENCE, ...cert.tbsFields.map((f, i) => (i === subjectIndex ? name : whole(certDer, f))));
  const [, algorithm, signature] = children(certDer, readElement(certDer, 0));
  return tlv(TAG.SEQUENCE, tbs, whole(certDer, algorithm!), whole(certDer, signature!));
}

it('every string type, escapes, a multi-valued RDN, a non-string value, every GeneralName form', () => {
  const base = pemCerts('real/google-mail-leaf.pem')[0]!;
  const der = replaceExtensionValue(withSubject(base, NAME), '2.5.29.17', SAN);
  const names = certificateNames(parseCertificate(der));
  expect(names).toEqual(fromPkijs(der));
  expect(names.subject).toBe(
    [
      'CN=\\ spaced.example',
      'serialNumber=\\#02020100',
      '1.3.6.1.4.1.99999.1=x𝒳y',
      'emailAddress=\\#hash@example.org',
      'L=Lyön',
      'OU=Ünit Ω',
      'O=Bücher\\, \\"Zürich\\" \\+ \\<Söhne\\>\\; a\\=b \\\\ end\\ ',
      'C=CH',
    ].join(','),
  );
  expect(names.subjectAltNames).toEqual([
    'other:0',
    'email:someone@example.org',
    'DNS:*.example.org',
    'other:4',
    'URI:https://example.org/x',
    'IP:192.0.2.7',
    'IP:2001:db8::1',
    'other:8',
  ]);
});

it('a Name that is not a SEQUENCE OF SET is unreadable, as pkijs finds it; the summary says so', () => {
  const base = pemCerts('real/google-mail-leaf.pem')[0]!;
  const broken = withSubject(base, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, atv('2.5.4.3', 0x0c, utf8('x')))));
  expect(() => certificateNames(parseCertificate(broken))).toThrow(/subject: RelativeDistinguishedName is not a SET/);
  const unreadable = expect.stringMatching(/^\(unreadable: /);
  expect(describeCertificate(broken)).toMatchObject({ subject: unreadable, described: true });
  expect(describeWithPkijs(broken)).toMatchObject({ subject: unreadable, described: true });
});
