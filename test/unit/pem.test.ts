/** PEM (RFC 7468): the one reader of certificates in PEM text, and its precise refusals. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { certificatesFromPem, decodePem, encodePem, PemError } from '../../src/pem.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { fixturePath } from '../support/fixtures.js';

const text = (name: string) => readFileSync(fixturePath(name), 'utf8');
const leafPem = text('rfc6962/test-embedded-cert.pem');
const caPem = text('rfc6962/ca-cert.pem');
const der = (pem: string) => decodePem(pem)[0]!.der;

describe('certificatesFromPem', () => {
  it('reads a chain of the RFC 6962 test certificates, leaf first, skipping other blocks and text', () => {
    const key = text('rfc6962/ct-server-key-public.pem');
    const chain = certificatesFromPem(`a leaf:\n${leafPem}\n${key}and its issuer:\n${caPem}`);
    expect(chain).toEqual([der(leafPem), der(caPem)]);
    expect(parseCertificate(chain[1]!).subject).toEqual(parseCertificate(chain[0]!).issuer);
  });

  it('accepts the older labels RFC 7468 §5.1 lets parsers accept', () => {
    const ca = der(caPem);
    for (const label of ['X509 CERTIFICATE', 'X.509 CERTIFICATE']) {
      expect(certificatesFromPem(encodePem(label, ca, toBase64))).toEqual([ca]);
    }
  });

  it('says when there is no certificate block, naming the blocks there are', () => {
    expect(() => certificatesFromPem('hello')).toThrow(new PemError('no CERTIFICATE block'));
    expect(() => certificatesFromPem(text('rfc6962/ct-server-key-public.pem'))).toThrow(
      new PemError('no CERTIFICATE block (the PEM holds "PUBLIC KEY")'),
    );
  });

  it('refuses a truncated chain instead of returning it shorter', () => {
    const cut = `${leafPem}${caPem.slice(0, caPem.indexOf('-----END'))}`;
    expect(() => certificatesFromPem(cut)).toThrow(new PemError('PEM block "BEGIN CERTIFICATE" #2 has no END line'));
    const begin = caPem.indexOf('-----BEGIN');
    const inner = `${caPem.slice(begin, begin + 200)}\n${leafPem}`;
    expect(() => certificatesFromPem(inner)).toThrow(new PemError('PEM block "BEGIN CERTIFICATE" #1 has no END line'));
  });
});

describe('decodePem refusals', () => {
  it('names what is wrong with a damaged block', () => {
    const swapped = leafPem.replace('END CERTIFICATE', 'END PUBLIC KEY');
    expect(() => decodePem(swapped)).toThrow('PEM block "BEGIN CERTIFICATE" ends with "END PUBLIC KEY"');
    const headers = leafPem.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n');
    expect(() => decodePem(headers)).toThrow('PEM block "CERTIFICATE" has headers (encrypted PEM is not supported)');
    expect(() => decodePem('-----BEGIN CERTIFICATE\nMAA=\n')).toThrow(
      'PEM block #1: "-----BEGIN " is not followed by a label',
    );
    expect(() => decodePem(`${caPem}-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----`)).toThrow(
      /^PEM block "CERTIFICATE" #2: /,
    );
  });

  it('takes time linear in the text: many BEGIN lines without an END are refused at once', () => {
    const hostile = '-----BEGIN A-----\n'.repeat(40_000);
    const started = performance.now();
    expect(() => decodePem(hostile)).toThrow('PEM block "BEGIN A" #1 has no END line');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
