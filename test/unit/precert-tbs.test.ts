import { describe, it, expect } from 'vitest';
import { fromHex, sha256, toHex, utf8, type Bytes } from '../../src/bytes.js';
import { TAG, children, contextTag, readElement, whole } from '../../src/der/element.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { decodeSct } from '../../src/sct/decode.js';
import { precertEntry, signedData } from '../../src/sct/signed-data.js';
import { OID, isPrecertificate, parseCertificate, type CertificateView } from '../../src/x509/certificate.js';
import { precertTbs } from '../../src/x509/precert-tbs.js';
import { extension, tlv } from '../support/der-edit.js';
import { pemCert, pemKey, readFixture } from '../support/fixtures.js';

const cert = (name: string): CertificateView => parseCertificate(pemCert(`rfc6962/${name}`));

interface Pair {
  final: string;
  precert: string;
  /** The Precertificate Signing Certificate that issued the precertificate, when not the final issuer. */
  preca?: string;
  /** The final certificate's issuer: its key hash goes into the precert_entry. */
  issuer: string;
  proof: string;
}

const PAIRS: Pair[] = [
  {
    final: 'test-embedded-cert.pem',
    precert: 'test-embedded-pre-cert.pem',
    issuer: 'ca-cert.pem',
    proof: 'test-embedded-pre-cert.proof',
  },
  {
    final: 'test-embedded-with-preca-cert.pem',
    precert: 'test-embedded-with-preca-pre-cert.pem',
    preca: 'ca-pre-cert.pem',
    issuer: 'ca-cert.pem',
    proof: 'test-embedded-with-preca-pre-cert.proof',
  },
  {
    final: 'test-embedded-with-intermediate-cert.pem',
    precert: 'test-embedded-with-intermediate-pre-cert.pem',
    issuer: 'intermediate-cert.pem',
    proof: 'test-embedded-with-intermediate-pre-cert.proof',
  },
  {
    final: 'test-embedded-with-intermediate-preca-cert.pem',
    precert: 'test-embedded-with-intermediate-preca-pre-cert.pem',
    preca: 'intermediate-pre-cert.pem',
    issuer: 'intermediate-cert.pem',
    proof: 'test-embedded-with-intermediate-preca-pre-cert.proof',
  },
];

/** A certificate around a TBS (algorithm and signature are placeholders: ctlens does not check them). */
const wrapTbs = (tbs: Bytes): Bytes =>
  tlv(TAG.SEQUENCE, tbs, tlv(TAG.SEQUENCE, fromHex('06082a8648ce3d040302')), tlv(TAG.BIT_STRING, fromHex('00')));

const extensionOids = (c: CertificateView): string[] => c.extensions.map((e) => e.oid);
const extensionBytes = (c: CertificateView): string[] => c.extensions.map((e) => toHex(whole(c.der, e.element)));

describe('precertTbs on the RFC 6962 test certificates', () => {
  const verifier = new SignatureVerifier();
  const logKey = pemKey('rfc6962/ct-server-key-public.pem');

  for (const pair of PAIRS) {
    describe(pair.final, () => {
      const final = cert(pair.final);
      const precert = cert(pair.precert);
      const signer = pair.preca ? cert(pair.preca) : undefined;
      const fromFinal = precertTbs(final);
      const fromPrecert = precertTbs(precert, signer ? { precertSigner: signer } : {});

      it('the final certificate is not a precertificate; the precertificate is', () => {
        expect(isPrecertificate(final)).toBe(false);
        expect(isPrecertificate(precert)).toBe(true);
        expect(extensionOids(final)).toContain(OID.SCT_LIST);
      });

      it(
        "equals byte for byte the precertificate's TBS with the poison removed" +
          `${signer ? ` and ${pair.preca}'s issuer and AKI` : ''}`,
        () => {
          expect(toHex(fromFinal)).toBe(toHex(fromPrecert));
          // It is not simply the original TBS of either.
          expect(toHex(fromFinal)).not.toBe(toHex(whole(final.der, final.tbs)));
          expect(toHex(fromFinal)).not.toBe(toHex(whole(precert.der, precert.tbs)));
          if (signer) {
            // Without the signer option the precertificate's own issuer name and AKI would be kept.
            expect(toHex(precertTbs(precert))).not.toBe(toHex(fromFinal));
          }
        },
      );

      it('is what the log signed: the .proof SCT verifies over the precert_entry built from it', async () => {
        const sct = decodeSct(readFixture(`rfc6962/${pair.proof}`));
        if (sct.kind !== 'v1') throw new Error('test SCT did not decode');
        const entry = precertEntry(sha256(cert(pair.issuer).spki), fromFinal);
        expect(await verifier.verify(logKey, 'ecdsa-p256', sct.signature, signedData(sct, entry))).toEqual({
          ok: true,
        });
        // A one-byte change of the TBS breaks it (the check can fail).
        const damaged = fromFinal.slice();
        damaged[damaged.length - 1]! ^= 1;
        const bad = precertEntry(sha256(cert(pair.issuer).spki), damaged);
        expect((await verifier.verify(logKey, 'ecdsa-p256', sct.signature, signedData(sct, bad))).ok).toBe(false);
      });

      it('re-parses as DER: the final extensions in order, minus the SCT list, each byte-identical', () => {
        const outer = readElement(fromFinal, 0);
        expect(outer.tag).toBe(TAG.SEQUENCE);
        expect(outer.end).toBe(fromFinal.length);
        const reparsed = parseCertificate(wrapTbs(fromFinal));
        expect(toHex(whole(reparsed.der, reparsed.tbs))).toBe(toHex(fromFinal));
        expect(extensionOids(reparsed)).toEqual(extensionOids(final).filter((o) => o !== OID.SCT_LIST));
        expect(extensionOids(reparsed)).not.toContain(OID.PRECERT_POISON);
        const kept = final.extensions
          .filter((e) => e.oid !== OID.SCT_LIST)
          .map((e) => toHex(whole(final.der, e.element)));
        expect(extensionBytes(reparsed)).toEqual(kept);
        // Every field other than the extensions is the final certificate's, unchanged.
        const before = final.tbsFields
          .filter((f) => f !== final.extensionsWrapper)
          .map((f) => toHex(whole(final.der, f)));
        const after = reparsed.tbsFields
          .filter((f) => f !== reparsed.extensionsWrapper)
          .map((f) => toHex(whole(reparsed.der, f)));
        expect(after).toEqual(before);
        expect(toHex(reparsed.issuer)).toBe(toHex(final.issuer));
      });
    });
  }

  it('a certificate without CT extensions keeps its TBS exactly', () => {
    const plain = cert('test-cert.pem');
    expect(extensionOids(plain)).not.toContain(OID.SCT_LIST);
    expect(toHex(precertTbs(plain))).toBe(toHex(whole(plain.der, plain.tbs)));
  });
});

// Synthetic certificates, to reach the edge cases the test data does not.
const NAME = (cn: string): Bytes =>
  tlv(TAG.SEQUENCE, tlv(TAG.SET, tlv(TAG.SEQUENCE, fromHex('0603550403'), tlv(0x0c, utf8(cn)))));
const BASE_FIELDS = (issuer = 'Issuer CA'): Bytes[] => [
  tlv(contextTag(0, true), fromHex('020102')),
  fromHex('020101'),
  tlv(TAG.SEQUENCE, fromHex('06082a8648ce3d040302')),
  NAME(issuer),
  tlv(TAG.SEQUENCE, tlv(TAG.UTC_TIME, utf8('200101000000Z')), tlv(TAG.UTC_TIME, utf8('300101000000Z'))),
  NAME('leaf.example'),
  pemKey('rfc6962/ct-server-key-public.pem'),
];
const withExtensions = (fields: Bytes[], exts: Bytes[]): Bytes =>
  tlv(TAG.SEQUENCE, ...fields, tlv(contextTag(3, true), tlv(TAG.SEQUENCE, ...exts)));

const POISON = extension(OID.PRECERT_POISON, fromHex('0500'), true);
const SCT_LIST = (size: number): Bytes =>
  extension(OID.SCT_LIST, tlv(TAG.OCTET_STRING, new Uint8Array(size).fill(0x5a)));
const BASIC_CONSTRAINTS = extension(OID.BASIC_CONSTRAINTS, fromHex('3000'), true);
const SKI = extension('2.5.29.14', tlv(TAG.OCTET_STRING, new Uint8Array(20).fill(0x11)));
const AKI = (byte: number): Bytes =>
  extension(OID.AUTHORITY_KEY_ID, tlv(TAG.SEQUENCE, tlv(0x80, new Uint8Array(20).fill(byte))));

describe('precertTbs on synthetic certificates', () => {
  it('omits [3] entirely when only CT extensions were present', () => {
    const fields = BASE_FIELDS();
    const c = parseCertificate(wrapTbs(withExtensions(fields, [POISON, SCT_LIST(40)])));
    expect(c.extensions.length).toBe(2);
    const result = precertTbs(c);
    expect(toHex(result)).toBe(toHex(tlv(TAG.SEQUENCE, ...fields)));
    const last = children(result, readElement(result, 0)).at(-1)!;
    expect(last.tag).toBe(TAG.SEQUENCE); // the SubjectPublicKeyInfo, no [3]
    expect(parseCertificate(wrapTbs(result)).extensionsWrapper).toBeUndefined();
  });

  it('re-encodes every enclosing length when they shrink across the long-form boundaries', () => {
    const fields = BASE_FIELDS();
    const tbs = withExtensions(fields, [BASIC_CONSTRAINTS, SCT_LIST(300), SKI]);
    expect(toHex(tbs.subarray(0, 2))).toBe('3082'); // 2-octet length before
    const result = precertTbs(parseCertificate(wrapTbs(tbs)));
    const expected = withExtensions(fields, [BASIC_CONSTRAINTS, SKI]);
    expect(toHex(result)).toBe(toHex(expected));
    expect(toHex(result.subarray(0, 2))).toBe('3081'); // 1-octet length after
    expect(readElement(result, 0).end).toBe(result.length);
  });

  it('keeps criticality, order and encodings of the other extensions', () => {
    const fields = BASE_FIELDS();
    const odd = extension('1.2.3.4.5', fromHex('0c03616263'), false);
    const explicitFalse = tlv(
      TAG.SEQUENCE,
      fromHex('06032a0304'),
      fromHex('010100'),
      tlv(TAG.OCTET_STRING, fromHex('0500')),
    );
    const c = parseCertificate(
      wrapTbs(withExtensions(fields, [SKI, POISON, explicitFalse, SCT_LIST(10), odd, BASIC_CONSTRAINTS])),
    );
    expect(toHex(precertTbs(c))).toBe(toHex(withExtensions(fields, [SKI, explicitFalse, odd, BASIC_CONSTRAINTS])));
  });

  it('with a precertificate signer: takes its issuer name, replaces the AKI value in place', () => {
    const signer = parseCertificate(wrapTbs(withExtensions(BASE_FIELDS('Root CA'), [AKI(0x22), BASIC_CONSTRAINTS])));
    const fields = BASE_FIELDS('PreCA');
    const precert = parseCertificate(wrapTbs(withExtensions(fields, [SKI, AKI(0x33), POISON, BASIC_CONSTRAINTS])));
    const expectedFields = [...fields];
    expectedFields[3] = NAME('Root CA');
    expect(toHex(precertTbs(precert, { precertSigner: signer }))).toBe(
      toHex(withExtensions(expectedFields, [SKI, AKI(0x22), BASIC_CONSTRAINTS])),
    );
  });

  it(
    'with a precertificate signer: appends its AKI when the precertificate has none, ' +
      'drops it when the signer has none',
    () => {
      const fields = BASE_FIELDS('PreCA');
      const expectedFields = [...fields];
      expectedFields[3] = NAME('Root CA');

      const signerWithAki = parseCertificate(wrapTbs(withExtensions(BASE_FIELDS('Root CA'), [AKI(0x44)])));
      const noAki = parseCertificate(wrapTbs(withExtensions(fields, [POISON, SKI])));
      expect(toHex(precertTbs(noAki, { precertSigner: signerWithAki }))).toBe(
        toHex(withExtensions(expectedFields, [SKI, AKI(0x44)])),
      );

      const signerWithoutAki = parseCertificate(wrapTbs(withExtensions(BASE_FIELDS('Root CA'), [BASIC_CONSTRAINTS])));
      const withAki = parseCertificate(wrapTbs(withExtensions(fields, [AKI(0x55), POISON, SKI])));
      expect(toHex(precertTbs(withAki, { precertSigner: signerWithoutAki }))).toBe(
        toHex(withExtensions(expectedFields, [SKI])),
      );

      // A signer without any extensions: the issuer is still replaced.
      const bareSigner = parseCertificate(wrapTbs(tlv(TAG.SEQUENCE, ...BASE_FIELDS('Root CA'))));
      expect(toHex(precertTbs(withAki, { precertSigner: bareSigner }))).toBe(
        toHex(withExtensions(expectedFields, [SKI])),
      );
    },
  );
});
