/**
 * The issuer's building blocks (src/issuer/): key identifiers, caIssuers URLs, the signature check
 * that makes a candidate the issuer, and what a caIssuers URL may answer. Real public chains
 * (test/fixtures/real) and certificates issued in the test by pkijs over WebCrypto.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { DerError } from '../../src/der/element.js';
import { caIssuers } from '../../src/issuer/aia.js';
import { verifyCertificateSignature } from '../../src/issuer/certificate-signature.js';
import { certificatesFromIssuerResponse, IssuerResponseError } from '../../src/issuer/issuer-response.js';
import { IssuerIndex } from '../../src/issuer/issuer-index.js';
import { authorityKeyId, subjectKeyId } from '../../src/issuer/key-identifiers.js';
import { encodePem } from '../../src/pem.js';
import { toBase64 } from '../../src/bytes.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { pemCert } from '../support/fixtures.js';
import { certsOnlyCms, createCa, issueLeaf, type KeyKind } from '../support/issuer-pki.js';

const REAL = [
  'badssl-wildcard-rsa2048',
  'badssl-wildcard-ecc256',
  'google-mail',
  'facebook-wildcard',
  'badssl-invalid-expected-sct',
];
const real = (name: string) => ({
  leaf: parseCertificate(pemCert(`real/${name}-leaf.pem`)),
  issuer: parseCertificate(pemCert(`real/${name}-issuer.pem`)),
});

describe('key identifiers and caIssuers (RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1)', () => {
  it("a real leaf's authority key identifier is its issuer's subject key identifier", () => {
    for (const name of REAL) {
      const { leaf, issuer } = real(name);
      expect(toHex(authorityKeyId(leaf)!), name).toBe(toHex(subjectKeyId(issuer)!));
    }
  });

  it("reads real leaves' caIssuers URLs", () => {
    expect(caIssuers(real('badssl-wildcard-rsa2048').leaf)).toEqual({
      urls: ['http://cacerts.digicert.com/DigiCertSHA2SecureServerCA.crt'],
      skipped: [],
    });
    expect(caIssuers(real('google-mail').leaf).urls).toEqual(['http://pki.goog/gsr2/GTS1O1.crt']);
    // An issuer without caIssuers in its authorityInfoAccess:
    expect(caIssuers(real('badssl-invalid-expected-sct').issuer)).toEqual({ urls: [], skipped: [] });
  });

  it('keeps http(s) URIs only, each skipped location with why', async () => {
    const ca = await createCa('AIA CA', 'P-256');
    const uris = [
      'ldap://ldap.example/cn=ca',
      'https://ca.example/ca.p7c',
      'http://user:pw@ca.example/x',
      'http://ca.example/ca.crt',
    ];
    const leaf = parseCertificate(await issueLeaf(ca, { caIssuers: uris }));
    const found = caIssuers(leaf);
    expect(found.urls).toEqual(['https://ca.example/ca.p7c', 'http://ca.example/ca.crt']);
    expect(found.skipped).toEqual([
      'caIssuers "ldap://ldap.example/cn=ca" uses ldap:, not http or https',
      'caIssuers "http://user:pw@ca.example/x" holds credentials',
    ]);
  });

  it('an authorityInfoAccess that is not DER is a DerError naming it', async () => {
    const ca = await createCa('Bad AIA CA', 'P-256');
    const leafDer = await issueLeaf(ca, { caIssuers: ['http://ca.example/ca.crt'] });
    const leaf = parseCertificate(leafDer);
    const ext = leaf.extensions.find((e) => e.oid === '1.3.6.1.5.5.7.1.1')!;
    const broken = { ...leaf, extensions: [{ ...ext, value: ext.value.subarray(0, ext.value.length - 1) }] };
    expect(() => caIssuers(broken)).toThrow(DerError);
  });
});

describe('the signature check that makes a candidate the issuer', () => {
  it('verifies real chains (RSA PKCS#1 v1.5, and ECDSA by a P-384 key) and refuses the wrong issuer', async () => {
    for (const name of REAL) {
      const { leaf, issuer } = real(name);
      expect(await verifyCertificateSignature(leaf, issuer.spki), name).toEqual({ ok: true });
    }
    const other = real('google-mail').issuer;
    expect(await verifyCertificateSignature(real('badssl-wildcard-rsa2048').leaf, other.spki)).toEqual({
      ok: false,
      reason: "the certificate's signature does not verify with the candidate's key",
    });
    expect((await verifyCertificateSignature(real('badssl-wildcard-ecc256').leaf, other.spki)).ok).toBe(false);
  });

  const cases: [KeyKind, 'SHA-256' | 'SHA-384' | 'SHA-512'][] = [
    ['P-256', 'SHA-256'],
    ['P-384', 'SHA-384'],
    ['P-521', 'SHA-512'],
    ['RSA', 'SHA-384'],
    ['RSA', 'SHA-512'],
    ['RSA-PSS', 'SHA-256'],
    ['RSA-PSS', 'SHA-384'],
  ];
  it.each(cases)('a %s issuer signing with %s', async (kind, hash) => {
    const ca = await createCa(`${kind} ${hash} CA`, kind, { hash });
    const leaf = parseCertificate(await issueLeaf(ca, { hash }));
    expect(await verifyCertificateSignature(leaf, ca.spki)).toEqual({ ok: true });
    const damaged = Uint8Array.from(leaf.der);
    damaged[damaged.length - 5]! ^= 0x01; // inside the signature value
    expect((await verifyCertificateSignature(parseCertificate(damaged), ca.spki)).ok).toBe(false);
  });

  it('refuses an algorithm that does not match the key, and differing signature fields', async () => {
    const ec = await createCa('EC CA', 'P-256');
    const rsa = await createCa('RSA CA', 'RSA');
    const leaf = parseCertificate(await issueLeaf(ec));
    expect(await verifyCertificateSignature(leaf, rsa.spki)).toEqual({
      ok: false,
      reason: "an ECDSA signature, but the candidate's key is rsa",
    });
    // The outer signatureAlgorithm made ecdsa-with-SHA384 (…04 03 02 → …04 03 03): not the TBS's any more.
    const der = Uint8Array.from(leaf.der);
    const oid = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let at = der.length - oid.length;
    while (at >= 0 && !oid.every((b, k) => der[at + k] === b)) at--;
    der[at + 7] = 0x03;
    expect(await verifyCertificateSignature(parseCertificate(der), ec.spki)).toEqual({
      ok: false,
      reason: "the certificate's two signature algorithm fields differ (RFC 5280 §4.1.1.2)",
    });
  });
});

describe('what a caIssuers URL answers (DER, certs-only CMS, PEM)', () => {
  it('a DER certificate, a CMS bundle (DER and BER) and PEM, each certificate with its original bytes', async () => {
    const root = await createCa('Bundle Root', 'P-384');
    const intermediate = await createCa('Bundle Intermediate', 'P-256', { issuer: root });
    expect(certificatesFromIssuerResponse(intermediate.der)).toEqual([intermediate.der]);
    const cms = certsOnlyCms([intermediate.der, root.der]);
    expect(certificatesFromIssuerResponse(cms)).toEqual([intermediate.der, root.der]);
    // BER: the outer ContentInfo SEQUENCE with an indefinite length (X.690 §8.1.3.6), as some CAs serve.
    const header = cms[1]! & 0x80 ? 2 + (cms[1]! & 0x7f) : 2;
    const ber = Uint8Array.from([0x30, 0x80, ...cms.subarray(header), 0, 0]);
    expect(certificatesFromIssuerResponse(ber)).toEqual([intermediate.der, root.der]);
    const pem = encodePem('CERTIFICATE', intermediate.der, toBase64);
    expect(certificatesFromIssuerResponse(new TextEncoder().encode(pem))).toEqual([intermediate.der]);
  });

  it('anything else is refused, saying what it is not', () => {
    const refuse = (body: Uint8Array) => {
      try {
        certificatesFromIssuerResponse(body);
      } catch (e) {
        expect(e).toBeInstanceOf(IssuerResponseError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refuse(new Uint8Array())).toBe('the answer is empty');
    expect(refuse(new TextEncoder().encode('<html>Not Found</html>'))).toMatch(
      /^the answer is neither a certificate nor a CMS message/,
    );
    expect(refuse(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01, 0xff))).toBe(
      'the answer has 1 bytes after its ASN.1 value',
    );
    // ContentInfo { id-data, [0] OCTET STRING }: a CMS message, not SignedData.
    const data = Uint8Array.of(
      0x30,
      0x11,
      0x06,
      0x09,
      0x2a,
      0x86,
      0x48,
      0x86,
      0xf7,
      0x0d,
      0x01,
      0x07,
      0x01,
      0xa0,
      0x04,
      0x04,
      0x02,
      0x41,
      0x42,
    );
    expect(refuse(data)).toBe('the CMS message is 1.2.840.113549.1.7.1, not SignedData (1.2.840.113549.1.7.2)');
    expect(refuse(certsOnlyCms([]))).toBe('the CMS message holds no certificate');
    const truncatedCert = pemCert('real/google-mail-issuer.pem').subarray(0, 300);
    expect(refuse(truncatedCert)).toMatch(/^the answer is neither a certificate nor a CMS message/);
  });
});

describe('IssuerIndex', () => {
  it('holds CA certificates only, bounded, finding candidates by key identifier, else by name', async () => {
    const index = new IssuerIndex(2);
    const { leaf, issuer } = real('badssl-wildcard-rsa2048');
    expect(index.add(leaf.der)).toBe(false); // not a CA
    expect(index.add(Uint8Array.of(1, 2, 3))).toBe(false);
    expect(index.add(issuer.der)).toBe(true);
    expect(index.add(issuer.der)).toBe(false);
    expect(index.candidates(leaf).map((c) => c.der)).toEqual([issuer.der]);
    expect(index.candidates(real('google-mail').leaf)).toEqual([]);

    const ca = await createCa('Nameless Key CA', 'P-256');
    const noAki = parseCertificate(await issueLeaf(ca, { authorityKeyId: false }));
    index.add(ca.der);
    expect(index.candidates(noAki).map((c) => c.der)).toEqual([ca.der]);
    index.add(real('google-mail').issuer.der); // a third: the least recently used goes
    expect(index.size).toBe(2);
    expect(index.candidates(leaf)).toEqual([]);
    expect(index.all()).toEqual([ca.der, real('google-mail').issuer.der]);
  });
});
