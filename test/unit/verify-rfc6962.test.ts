/**
 * Every SCT status, reached with the RFC 6962 test data (google/certificate-transparency
 * test/testdata, see test/fixtures/PROVENANCE.md): ECDSA and RSA test logs, embedded SCTs,
 * precertificates (also issued by precertificate signing CAs), x509 entries, the invalid one.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/check.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import type { SctStatus } from '../../src/verify/sct-status.js';
import { pemCert, readFixture, rfc6962TestLogs, TEST_DATA_TIME } from '../support/fixtures.js';

const registry = rfc6962TestLogs();
const cert = (name: string) => pemCert(`rfc6962/${name}`);

async function statuses(
  chain: string[],
  delivered: string[] = [],
  options: { at?: number; registry?: LogRegistry; tweak?: (b: Uint8Array) => Uint8Array } = {},
) {
  const { verification } = await decide({
    chain: chain.map(cert),
    delivered: delivered.map((name) => ({
      bytes: (options.tweak ?? ((b) => b))(readFixture(`rfc6962/${name}`)),
      source: 'tls-extension' as const,
    })),
    registry: options.registry ?? registry,
    at: options.at ?? TEST_DATA_TIME,
  });
  return verification.scts.map((s) => ({
    status: s.status,
    source: s.source,
    entryType: s.entryType,
    detail: s.detail,
  }));
}

describe('valid SCTs', () => {
  it.each([
    ['test-embedded-cert.pem', 'ca-cert.pem'],
    ['test-embedded-with-preca-cert.pem', 'ca-cert.pem'],
    ['test-embedded-with-intermediate-cert.pem', 'intermediate-cert.pem'],
    ['test-embedded-with-intermediate-preca-cert.pem', 'intermediate-cert.pem'],
  ])('embedded SCT of %s verifies as a precert_entry', async (leaf, issuer) => {
    expect(await statuses([leaf, issuer])).toEqual([
      { status: 'valid', source: 'embedded', entryType: 'precert_entry', detail: undefined },
    ]);
  });

  it.each([
    ['test-cert.pem', 'test-cert.proof'],
    ['test-cert.pem', 'rsa/test-cert-rsa.proof'],
    ['test-intermediate-cert.pem', 'test-intermediate-cert.proof'],
  ])('TLS SCT for %s (%s) verifies as an x509_entry', async (leaf, proof) => {
    expect(await statuses([leaf], [proof])).toEqual([
      { status: 'valid', source: 'tls-extension', entryType: 'x509_entry', detail: undefined },
    ]);
  });

  it.each([
    [['test-embedded-pre-cert.pem', 'ca-cert.pem'], 'test-embedded-pre-cert.proof'],
    [['test-embedded-pre-cert.pem', 'ca-cert.pem'], 'rsa/test-embedded-pre-cert-rsa.proof'],
    [
      ['test-embedded-with-preca-pre-cert.pem', 'ca-pre-cert.pem', 'ca-cert.pem'],
      'test-embedded-with-preca-pre-cert.proof',
    ],
    [
      ['test-embedded-with-intermediate-pre-cert.pem', 'intermediate-cert.pem'],
      'test-embedded-with-intermediate-pre-cert.proof',
    ],
    [
      ['test-embedded-with-intermediate-preca-pre-cert.pem', 'intermediate-pre-cert.pem', 'intermediate-cert.pem'],
      'test-embedded-with-intermediate-preca-pre-cert.proof',
    ],
  ])('SCT for precertificate %j verifies as a precert_entry', async (chain, proof) => {
    expect(await statuses(chain, [proof])).toEqual([
      { status: 'valid', source: 'tls-extension', entryType: 'precert_entry', detail: undefined },
    ]);
  });
});

describe('each failure status', () => {
  const one = async (...args: Parameters<typeof statuses>): Promise<{ status: SctStatus; detail?: string }> => {
    const [result] = await statuses(...args);
    return result!;
  };

  it('invalid-signature: the RFC 6962 invalid embedded certificate', async () => {
    expect(await one(['test-invalid-embedded-cert.pem', 'ca-cert.pem'])).toMatchObject({
      status: 'invalid-signature',
      detail: 'signature does not verify with the log key',
    });
  });

  it('invalid-signature: an SCT checked against the wrong certificate', async () => {
    expect(await one(['test-intermediate-cert.pem'], ['test-cert.proof'])).toMatchObject({
      status: 'invalid-signature',
    });
  });

  it(
    'missing-issuer: a precertificate from a precert signing CA, ' + 'without the final issuer (RFC 6962 §3.1)',
    async () => {
      expect(
        await one(
          ['test-embedded-with-preca-pre-cert.pem', 'ca-pre-cert.pem'],
          ['test-embedded-with-preca-pre-cert.proof'],
        ),
      ).toMatchObject({
        status: 'missing-issuer',
        detail: expect.stringContaining("precertificate signing certificate's issuer is needed"),
      });
    },
  );

  it('wrong-issuer: a precertificate given with the wrong issuer', async () => {
    expect(
      await one(['test-embedded-with-preca-pre-cert.pem', 'ca-cert.pem'], ['test-embedded-with-preca-pre-cert.proof']),
    ).toMatchObject({ status: 'wrong-issuer' });
  });

  it('unknown-log: no key for the log id', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { registry: new LogRegistry([]) })).toMatchObject({
      status: 'unknown-log',
    });
  });

  it('unsupported-version: an SCT whose version byte is not v1', async () => {
    const v2 = (b: Uint8Array) => Uint8Array.of(1, ...b.subarray(1));
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { tweak: v2 })).toMatchObject({
      status: 'unsupported-version',
    });
  });

  // v1 SCT layout: version(1) log_id(32) timestamp(8) extensions(2+0) hash(1) signature algorithm(1) signature(2+n)
  const HASH_AT = 1 + 32 + 8 + 2;
  const withByte = (offset: number, value: number) => (b: Uint8Array) => {
    const copy = b.slice();
    copy[offset] = value;
    return copy;
  };

  it('unsupported-algorithm: a hash other than SHA-256', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { tweak: withByte(HASH_AT, 5) })).toMatchObject({
      status: 'unsupported-algorithm',
      detail: 'hash algorithm 5 is not SHA-256 (4)',
    });
  });

  it('unsupported-algorithm: RSA signature algorithm from an ECDSA log', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { tweak: withByte(HASH_AT + 1, 1) })).toMatchObject({
      status: 'unsupported-algorithm',
      detail: "signature algorithm 1 does not match the log's ecdsa-p256 key",
    });
  });

  it('unsupported-algorithm: DSA (2) is not allowed by RFC 6962', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { tweak: withByte(HASH_AT + 1, 2) })).toMatchObject({
      status: 'unsupported-algorithm',
    });
  });

  it('future-timestamp: a valid signature over a time after the evaluation time', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { at: Date.UTC(2012, 0, 1) })).toMatchObject({
      status: 'future-timestamp',
    });
  });

  it('malformed: a truncated SCT', async () => {
    expect(
      await one(['test-cert.pem'], ['test-cert.proof'], { tweak: (b) => b.subarray(0, b.length - 1) }),
    ).toMatchObject({ status: 'malformed', detail: expect.stringMatching(/^signature: needs \d+ bytes/) });
  });

  it('malformed: trailing bytes after the signature', async () => {
    expect(await one(['test-cert.pem'], ['test-cert.proof'], { tweak: (b) => Uint8Array.of(...b, 0) })).toMatchObject({
      status: 'malformed',
      detail: expect.stringContaining('1 trailing bytes'),
    });
  });

  it('missing-issuer: an embedded SCT without the issuer certificate', async () => {
    expect(await one(['test-embedded-cert.pem'])).toMatchObject({ status: 'missing-issuer' });
  });

  it('wrong-issuer: an issuer that did not issue the certificate', async () => {
    expect(await one(['test-embedded-with-intermediate-cert.pem', 'ca-cert.pem'])).toMatchObject({
      status: 'wrong-issuer',
      detail: expect.stringContaining('names differ'),
    });
  });
});

describe('the SCT list', () => {
  it('is absent from a certificate without the extension', async () => {
    const { verification } = await decide({ chain: [cert('test-cert.pem')], registry, at: TEST_DATA_TIME });
    expect(verification.sctList).toEqual({ status: 'absent' });
    expect(verification.scts).toEqual([]);
  });

  it('reports the log and the SCT fields', async () => {
    const { verification } = await decide({
      chain: [cert('test-embedded-cert.pem'), cert('ca-cert.pem')],
      registry,
      at: TEST_DATA_TIME,
    });
    const [sct] = verification.scts;
    expect(sct?.log?.description).toMatch(/RFC 6962 ECDSA test log/);
    expect(sct?.sct.kind === 'v1' && sct.sct.leafIndex).toBe(undefined);
    expect(sct?.sct.kind === 'v1' && new Date(sct.sct.timestamp).getUTCFullYear()).toBe(2013);
  });
});
