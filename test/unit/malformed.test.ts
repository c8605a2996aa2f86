/**
 * Damaged input of every kind: SCT lists, single SCTs, certificates, log lists. Whatever the
 * damage, ctlens must not throw (other than its documented error types), must not hang, and must
 * never call an SCT valid unless its bytes are those of an undamaged original.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { equalBytes, fromBase64, fromHex, sha256, toBase64, toHex, utf8, type Bytes } from '../../src/bytes.js';
import { TAG, readElement } from '../../src/der/element.js';
import { bundledLogLists, googlePublicKeyPem } from '../../src/loglist/bundled.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { LogListError, parseLogList } from '../../src/loglist/schema.js';
import { LogListSignatureError, verifyLogListSignature } from '../../src/loglist/signature.js';
import { decodeSct } from '../../src/sct/decode.js';
import type { SctStatus } from '../../src/verify/sct-status.js';
import { verifyScts, type SctVerification } from '../../src/verify/verify-scts.js';
import { CertificateError, OID, findExtension, parseCertificate } from '../../src/x509/certificate.js';
import { replaceExtensionValue, tlv } from '../support/der-edit.js';
import { TEST_DATA_TIME, pemCert, readFixture, rfc6962TestLogs } from '../support/fixtures.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** The TLS-encoded SignedCertificateTimestampList inside the certificate's extension. */
function sctListBytes(certDer: Bytes): Bytes {
  const ext = findExtension(parseCertificate(certDer), OID.SCT_LIST);
  if (!ext) throw new Error('no SCT list extension');
  const inner = readElement(ext.value, 0);
  expect(inner.tag).toBe(TAG.OCTET_STRING);
  return ext.value.subarray(inner.contentStart, inner.end);
}

/** The certificate with its SCT list replaced by `list` (every enclosing DER length re-encoded). */
const withSctList = (certDer: Bytes, list: Bytes): Bytes =>
  replaceExtensionValue(certDer, OID.SCT_LIST, tlv(TAG.OCTET_STRING, list));

const flipped = (bytes: Bytes, position: number, mask: number): Bytes => {
  const out = bytes.slice();
  out[position]! ^= mask;
  return out;
};

/**
 * What damage at byte `offset` of a v1 SCT without extensions must produce (RFC 6962 §3.2 layout:
 * version 1, log_id 32, timestamp 8, extensions length 2, hash 1, signature algorithm 1,
 * signature length 2, signature).
 */
function expectedStatus(offset: number): { status: SctStatus; detail: RegExp } {
  if (offset === 0)
    return { status: 'unsupported-version', detail: /^SCT version \d+ \(byte \d+\); only v1 is defined$/ };
  if (offset < 33) return { status: 'unknown-log', detail: /^no log with this id is in the log lists in use$/ };
  if (offset < 41) return { status: 'invalid-signature', detail: /^signature does not verify with the log key$/ };
  if (offset < 43)
    return {
      status: 'malformed',
      detail: /^(extensions|hash algorithm|signature algorithm|signature|signature length|SCT): /,
    };
  if (offset === 43) return { status: 'unsupported-algorithm', detail: /^hash algorithm \d+ is not SHA-256 \(4\)$/ };
  if (offset === 44)
    return {
      status: 'unsupported-algorithm',
      detail: /^signature algorithm \d+ is neither ECDSA \(3\) nor RSA \(1\)$/,
    };
  if (offset < 47) return { status: 'malformed', detail: /^(signature|SCT): / };
  return {
    status: 'invalid-signature',
    detail: /^(signature does not verify with the log key|signature is not a DER ECDSA-Sig-Value: .+)$/,
  };
}

/** Checks the invariant that matters most: a 'valid' SCT is byte-identical to an original. */
function expectNoDamagedValid(result: SctVerification, originals: readonly Bytes[], context: string): void {
  for (const sct of result.scts) {
    if (sct.status === 'valid') {
      expect(
        originals.some((o) => equalBytes(o, sct.sct.raw)),
        `${context}: a damaged SCT was reported valid`,
      ).toBe(true);
    }
  }
}

const tally = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

// ---------------------------------------------------------------------------------------------
// Embedded SCT lists

interface Subject {
  readonly name: string;
  readonly leaf: Bytes;
  readonly issuer: Bytes;
  readonly at: number;
  registry: LogRegistry;
}

const SUBJECTS: Subject[] = [
  {
    name: 'rfc6962/test-embedded-cert.pem (1 SCT)',
    leaf: pemCert('rfc6962/test-embedded-cert.pem'),
    issuer: pemCert('rfc6962/ca-cert.pem'),
    at: TEST_DATA_TIME,
    registry: rfc6962TestLogs(),
  },
  {
    name: 'real/badssl-wildcard-ecc256 (4 SCTs)',
    leaf: pemCert('real/badssl-wildcard-ecc256-leaf.pem'),
    issuer: pemCert('real/badssl-wildcard-ecc256-issuer.pem'),
    at: Date.UTC(2018, 0, 1),
    registry: rfc6962TestLogs(), // replaced by the bundled lists in beforeAll
  },
];

beforeAll(async () => {
  SUBJECTS[1]!.registry = new LogRegistry(await bundledLogLists());
});

describe.each(SUBJECTS.map((s) => [s.name, s] as const))('damaged embedded SCT list: %s', (_name, subject) => {
  const list = sctListBytes(subject.leaf);
  /** [start, end) of each serialized SCT within the list. */
  const regions: { start: number; end: number }[] = [];
  for (let p = 2; p < list.length; ) {
    const length = (list[p]! << 8) | list[p + 1]!;
    regions.push({ start: p + 2, end: p + 2 + length });
    p += 2 + length;
  }
  const originals = regions.map((r) => list.slice(r.start, r.end));
  const verify = (leaf: Bytes): Promise<SctVerification> =>
    verifyScts({ chain: [leaf, subject.issuer], registry: subject.registry, at: subject.at });

  it('baseline: the rebuilt certificate is byte-identical and every SCT is valid', async () => {
    expect(toHex(withSctList(subject.leaf, list))).toBe(toHex(subject.leaf));
    for (const sct of originals) {
      const decoded = decodeSct(sct);
      expect(decoded.kind).toBe('v1');
      if (decoded.kind === 'v1') expect(decoded.extensions.length).toBe(0); // expectedStatus() assumes it
    }
    const result = await verify(subject.leaf);
    expect(result.sctList.status).toBe('ok');
    expect(result.scts.map((s) => s.status)).toEqual(originals.map(() => 'valid'));
  });

  it('every truncation of the list: the list is malformed, no SCT is checked', async () => {
    for (let length = 0; length < list.length; length++) {
      const result = await verify(withSctList(subject.leaf, list.subarray(0, length)));
      expect(result.sctList.status, `truncated to ${length}`).toBe('malformed');
      if (result.sctList.status === 'malformed') expect(result.sctList.error).toMatch(/^SCT (list|#\d+)/);
      expect(result.scts).toEqual([]);
    }
  });

  it.each([
    ['ff', 0xff],
    ['01', 0x01],
  ])(
    'every single-byte flip (xor 0x%s): only undamaged SCTs are valid, each damage has its status',
    async (_hex, mask) => {
      const counts = new Map<string, number>();
      for (let position = 0; position < list.length; position++) {
        const context = `flip 0x${mask.toString(16)} at ${position}`;
        const damaged = flipped(list, position, mask);
        const result = await verify(withSctList(subject.leaf, damaged));
        expectNoDamagedValid(result, originals, context);

        const index = regions.findIndex((r) => position >= r.start && position < r.end);
        if (index < 0) {
          // A length octet: the list's own (0-1) or an entry's.
          if (position < 2 || regions.length === 1) {
            expect(result.sctList.status, context).toBe('malformed');
            expect(result.scts, context).toEqual([]);
          }
          tally(counts, `length octet → list ${result.sctList.status}`);
          continue;
        }
        expect(result.sctList.status, context).toBe('ok');
        expect(result.scts.length, context).toBe(originals.length);
        result.scts.forEach((sct, j) => {
          if (j !== index) {
            expect(sct.status, `${context}: untouched SCT #${j + 1}`).toBe('valid');
            expect(toHex(sct.sct.raw)).toBe(toHex(originals[j]!));
            return;
          }
          const offset = position - regions[index]!.start;
          const { status, detail } = expectedStatus(offset);
          expect(sct.status, `${context} (SCT #${j + 1} offset ${offset}): ${sct.detail}`).toBe(status);
          expect(sct.detail, context).toMatch(detail);
          tally(counts, status);
        });
      }
      // Every kind of damage was reached.
      for (const status of [
        'unsupported-version',
        'unknown-log',
        'invalid-signature',
        'malformed',
        'unsupported-algorithm',
      ]) {
        expect(counts.get(status), `${status} never produced: ${JSON.stringify([...counts])}`).toBeGreaterThan(0);
      }
    },
  );

  it('swapping any two adjacent bytes never yields a damaged valid SCT', async () => {
    // Swapping adjacent bytes everywhere (a different kind of damage than xor).
    for (let position = 0; position + 1 < list.length; position++) {
      const damaged = list.slice();
      [damaged[position], damaged[position + 1]] = [damaged[position + 1]!, damaged[position]!];
      if (equalBytes(damaged, list)) continue;
      expectNoDamagedValid(await verify(withSctList(subject.leaf, damaged)), originals, `swap at ${position}`);
    }
  });
});

describe('damaged certificate around an embedded SCT (rfc6962/test-embedded-cert.pem)', () => {
  const leaf = pemCert('rfc6962/test-embedded-cert.pem');
  const issuer = pemCert('rfc6962/ca-cert.pem');
  const registry = rfc6962TestLogs();
  const view = parseCertificate(leaf);
  const original = sctListBytes(leaf).subarray(4);

  it('a flip anywhere in the TBS makes the SCT not valid; outside the TBS it stays valid', async () => {
    const outcomes = new Map<string, number>();
    for (let position = 0; position < leaf.length; position++) {
      const damaged = flipped(leaf, position, 0xff);
      let result: SctVerification;
      try {
        result = await verifyScts({ chain: [damaged, issuer], registry, at: TEST_DATA_TIME });
      } catch (e) {
        expect(e, `flip at ${position}`).toBeInstanceOf(CertificateError);
        tally(outcomes, 'CertificateError');
        continue;
      }
      const inTbs = position >= view.tbs.start && position < view.tbs.end;
      const statuses = result.scts.map((s) => s.status);
      if (inTbs) expect(statuses, `flip at ${position}`).not.toContain('valid');
      else
        expect(statuses, `flip at ${position} (outside the TBS: the certificate signature is not checked)`).toEqual([
          'valid',
        ]);
      expectNoDamagedValid(result, [original], `flip at ${position}`);
      tally(outcomes, `${inTbs ? 'tbs' : 'outside'}: ${statuses.join(',') || 'no SCT'}`);
    }
    expect(outcomes.get('CertificateError')).toBeGreaterThan(0);
    expect(outcomes.get('tbs: invalid-signature')).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// SCTs delivered in the TLS extension

describe.each([
  ['rfc6962/test-cert.proof (ECDSA)', 'rfc6962/test-cert.proof'],
  ['rfc6962/rsa/test-cert-rsa.proof (RSA)', 'rfc6962/rsa/test-cert-rsa.proof'],
])('damaged TLS-extension SCT: %s', (_name, proof) => {
  const leaf = pemCert('rfc6962/test-cert.pem');
  const issuer = pemCert('rfc6962/ca-cert.pem');
  const registry = rfc6962TestLogs();
  const original = readFixture(proof);
  const verify = async (bytes: Bytes) => {
    const result = await verifyScts({
      chain: [leaf, issuer],
      delivered: [{ bytes, source: 'tls-extension' }],
      registry,
      at: TEST_DATA_TIME,
    });
    expect(result.sctList.status).toBe('absent');
    expect(result.scts.length).toBe(1);
    expect(result.scts[0]!.source).toBe('tls-extension');
    return result;
  };

  it('baseline: valid over the x509_entry', async () => {
    const result = await verify(original);
    expect(result.scts[0]).toMatchObject({ status: 'valid', entryType: 'x509_entry' });
  });

  it('every truncation is malformed', async () => {
    for (let length = 0; length < original.length; length++) {
      const result = await verify(original.subarray(0, length));
      expect(result.scts[0]!.status, `truncated to ${length}`).toBe('malformed');
      expectNoDamagedValid(result, [original], `truncated to ${length}`);
    }
  });

  it('appended bytes are malformed', async () => {
    for (const extra of [[0], [0, 0], [0xff]]) {
      const result = await verify(Uint8Array.of(...original, ...extra));
      expect(result.scts[0]).toMatchObject({
        status: 'malformed',
        detail: `SCT: ${extra.length} trailing bytes at offset ${original.length}`,
      });
    }
  });

  it.each([
    ['ff', 0xff],
    ['01', 0x01],
  ])('every single-byte flip (xor 0x%s) has the status of the field it hits', async (_hex, mask) => {
    for (let position = 0; position < original.length; position++) {
      const result = await verify(flipped(original, position, mask));
      const sct = result.scts[0]!;
      const { status, detail } = expectedStatus(position);
      expect(sct.status, `flip at ${position}: ${sct.detail}`).toBe(status);
      expect(sct.detail, `flip at ${position}`).toMatch(detail);
      expectNoDamagedValid(result, [original], `flip at ${position}`);
    }
  });

  it('the original delivered for a different certificate is not valid', async () => {
    const result = await verifyScts({
      chain: [pemCert('rfc6962/test-intermediate-cert.pem'), pemCert('rfc6962/intermediate-cert.pem')],
      delivered: [{ bytes: original, source: 'tls-extension' }],
      registry,
      at: TEST_DATA_TIME,
    });
    expect(result.scts[0]).toMatchObject({
      status: 'invalid-signature',
      detail: 'signature does not verify with the log key',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Garbage certificates

function expectCertificateError(der: Bytes, context: string): CertificateError {
  try {
    parseCertificate(der);
  } catch (e) {
    expect(e, `${context}: ${(e as Error).name}: ${(e as Error).message}`).toBeInstanceOf(CertificateError);
    return e as CertificateError;
  }
  throw new Error(`${context}: parseCertificate accepted it`);
}

describe('garbage certificates', () => {
  const leaves = [
    'rfc6962/test-embedded-cert.pem',
    'real/badssl-wildcard-ecc256-leaf.pem',
    'real/badssl-wildcard-rsa2048-leaf.pem',
  ];

  it.each(leaves)('%s: every truncation throws CertificateError', (name) => {
    const der = pemCert(name);
    parseCertificate(der);
    for (let length = 0; length < der.length; length++) {
      const error = expectCertificateError(der.subarray(0, length), `${name} truncated to ${length}`);
      expect(error.message).toMatch(
        /^certificate is not valid DER: Certificate: (truncated|length \d+ at offset 0 overruns)/,
      );
    }
  });

  it.each(leaves)('%s: flips in the Certificate and TBSCertificate headers throw CertificateError', (name) => {
    const der = pemCert(name);
    const view = parseCertificate(der);
    // The outer SEQUENCE header and the TBS SEQUENCE header (tag and length octets).
    const header = [...Array(view.tbs.contentStart).keys()];
    for (const position of header) {
      for (const mask of [0xff, 0x01, 0x80, 0x20]) {
        expectCertificateError(flipped(der, position, mask), `${name} flip 0x${mask.toString(16)} at ${position}`);
      }
    }
  });

  it.each(leaves)('%s: any flip anywhere either parses or throws CertificateError', (name) => {
    const der = pemCert(name);
    let rejected = 0;
    for (let position = 0; position < der.length; position++) {
      for (const mask of [0xff, 0x01]) {
        try {
          parseCertificate(flipped(der, position, mask));
        } catch (e) {
          expect(e, `${name} flip at ${position}: ${(e as Error).message}`).toBeInstanceOf(CertificateError);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(50);
  });

  it('garbage that is not a certificate at all', () => {
    const cases: [string, Bytes][] = [
      ['empty', new Uint8Array()],
      ['one byte', Uint8Array.of(0x30)],
      ['PEM text', utf8('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')],
      ['empty SEQUENCE', Uint8Array.of(0x30, 0x00)],
      ['SEQUENCE of NULLs', Uint8Array.of(0x30, 0x06, 0x05, 0x00, 0x05, 0x00, 0x05, 0x00)],
      ['trailing byte', Uint8Array.of(...pemCert('rfc6962/test-cert.pem'), 0)],
      ['zeros', new Uint8Array(64)],
      ['0xff', new Uint8Array(64).fill(0xff)],
    ];
    for (const [what, der] of cases) expectCertificateError(der, what);
    expect(expectCertificateError(cases[5]![1], 'trailing').message).toBe(
      'certificate has 1 trailing bytes after the DER SEQUENCE',
    );
  });

  it('a huge time element throws CertificateError (not a RangeError from the engine)', () => {
    // A TBS whose notBefore is a 300 000-byte UTCTime: well-formed DER, absurd content.
    const base = parseCertificate(pemCert('rfc6962/test-cert.pem'));
    const fields = base.tbsFields.map((f) => base.der.subarray(f.start, f.end));
    const validityIndex = base.issuerIndex + 1;
    fields[validityIndex] = tlv(
      TAG.SEQUENCE,
      tlv(TAG.UTC_TIME, new Uint8Array(300_000).fill(0x31)),
      tlv(TAG.UTC_TIME, utf8('300101000000Z')),
    );
    const der = tlv(
      TAG.SEQUENCE,
      tlv(TAG.SEQUENCE, ...fields),
      tlv(TAG.SEQUENCE, Uint8Array.of(0x05, 0x00)),
      tlv(TAG.BIT_STRING, Uint8Array.of(0)),
    );
    expect(expectCertificateError(der, 'huge UTCTime').message).toMatch(/UTCTime/);
  });

  it(
    'verifyScts: a damaged issuer either throws CertificateError or ' +
      'never validates with a changed key, name or AKI',
    async () => {
      const registry = rfc6962TestLogs();
      const root = pemCert('rfc6962/ca-cert.pem');
      // The final certificate carries its SCT; the precertificate's SCT is delivered beside it.
      const cases: [string, string, string | undefined][] = [
        ['rfc6962/test-embedded-cert.pem', 'rfc6962/ca-cert.pem', undefined],
        [
          'rfc6962/test-embedded-with-preca-pre-cert.pem',
          'rfc6962/ca-pre-cert.pem',
          'rfc6962/test-embedded-with-preca-pre-cert.proof',
        ],
      ];
      for (const [leafName, issuerName, proof] of cases) {
        const delivered = proof ? [{ bytes: readFixture(proof), source: 'tls-extension' as const }] : [];
        const leaf = pemCert(leafName);
        const issuer = pemCert(issuerName);
        const original = parseCertificate(issuer);
        const aki = (c: ReturnType<typeof parseCertificate>): string =>
          toHex(findExtension(c, OID.AUTHORITY_KEY_ID)?.value ?? new Uint8Array());
        const eku = (c: ReturnType<typeof parseCertificate>): string =>
          toHex(findExtension(c, OID.EXTENDED_KEY_USAGE)?.value ?? new Uint8Array());
        const outcomes = new Map<string, number>();
        const problems: string[] = [];
        for (let position = 0; position < issuer.length; position++) {
          const context = `${issuerName} flip at ${position}`;
          const damagedDer = flipped(issuer, position, 0xff);
          let result: SctVerification;
          try {
            result = await verifyScts({ chain: [leaf, damagedDer, root], delivered, registry, at: TEST_DATA_TIME });
          } catch (e) {
            if (!(e instanceof CertificateError))
              problems.push(`${context}: threw ${(e as Error).name}: ${(e as Error).message}`);
            tally(outcomes, 'CertificateError');
            continue;
          }
          const damaged = parseCertificate(damagedDer);
          expect(result.scts.length, context).toBe(1);
          const status = result.scts[0]!.status;
          tally(outcomes, status);
          // What the precert_entry depends on: the issuer's name and key (final issuer), or, for a
          // Precertificate Signing Certificate, its issuer name, AKI and CT EKU (the key is the root's).
          const relevant = (c: typeof original): string[] =>
            proof ? [toHex(c.issuer), toHex(c.subject), aki(c), eku(c)] : [toHex(c.subject), toHex(c.spki)];
          const same = JSON.stringify(relevant(damaged)) === JSON.stringify(relevant(original));
          if (status === 'valid' && !same)
            problems.push(`${context}: valid although the issuer's name, key, AKI or EKU changed`);
          if (status !== 'valid' && same)
            problems.push(`${context}: ${status} (${result.scts[0]!.detail}) although nothing relevant changed`);
        }
        expect(problems).toEqual([]);
        expect(outcomes.get('valid'), issuerName).toBeGreaterThan(0);
        expect(outcomes.get('CertificateError'), issuerName).toBeGreaterThan(0);
      }
    },
  );

  it(
    'verifyScts: a PreCA whose extendedKeyUsage is not ExtKeyUsageSyntax DER ' +
      'neither throws DerError nor validates',
    async () => {
      const leaf = pemCert('rfc6962/test-embedded-with-preca-pre-cert.pem');
      const preca = pemCert('rfc6962/ca-pre-cert.pem');
      const delivered = [
        { bytes: readFixture('rfc6962/test-embedded-with-preca-pre-cert.proof'), source: 'tls-extension' as const },
      ];
      const ctEku = fromHex('060a2b06010401d679020404');
      const run = async (value: Bytes): Promise<string> => {
        const damaged = replaceExtensionValue(preca, OID.EXTENDED_KEY_USAGE, value);
        parseCertificate(damaged); // the issuer itself parses: extension values are opaque to it
        try {
          const result = await verifyScts({
            chain: [leaf, damaged, pemCert('rfc6962/ca-cert.pem')],
            delivered,
            registry: rfc6962TestLogs(),
            at: TEST_DATA_TIME,
          });
          return result.scts.map((s) => s.status).join(',');
        } catch (e) {
          return e instanceof CertificateError ? 'CertificateError' : `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      // Baseline: the well-formed EKU makes the SCT valid.
      expect(await run(tlv(TAG.SEQUENCE, ctEku))).toBe('valid');
      const broken: [string, Bytes][] = [
        ['a lone 0xff', Uint8Array.of(0xff)],
        ['a truncated SEQUENCE', Uint8Array.of(0x30, 0x05, 0x06)],
        ['an OID with a leading 0x80', Uint8Array.of(0x30, 0x03, 0x06, 0x01, 0x80)],
        ['the CT OID in a [PRIVATE 15] instead of a SEQUENCE', tlv(0xcf, ctEku)],
        ['the CT OID in a SET', tlv(TAG.SET, ctEku)],
        ['a SEQUENCE followed by trailing bytes', Uint8Array.of(...tlv(TAG.SEQUENCE, ctEku), 0x00, 0x00)],
      ];
      const outcomes = await Promise.all(broken.map(async ([what, value]) => `${what}: ${await run(value)}`));
      expect(outcomes.filter((o) => !/: (CertificateError|invalid-signature|missing-issuer)$/.test(o))).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Log lists

const dataPath = (name: string): string => fileURLToPath(new URL(`../../src/loglist/data/${name}`, import.meta.url));
const V89_JSON = new Uint8Array(readFileSync(dataPath('all_logs_list.v89.25.json')));
const V89_SIG = new Uint8Array(readFileSync(dataPath('all_logs_list.v89.25.sig')));
const V83_SIG = new Uint8Array(readFileSync(dataPath('all_logs_list.v83.1.sig')));
const PUBKEY_PEM = readFileSync(dataPath('log_list_pubkey.pem'), 'utf8');

/** The base64 text with stray low bits set in its last quantum (non-canonical). */
function nonCanonical(base64: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  expect(padding).toBeGreaterThan(0);
  const at = base64.length - padding - 1;
  const value = alphabet.indexOf(base64[at]!);
  return base64.slice(0, at) + alphabet[value | 1] + base64.slice(at + 1);
}

function logListError(text: string): string {
  try {
    parseLogList(text, 'test');
  } catch (e) {
    expect(e, text).toBeInstanceOf(LogListError);
    return (e as Error).message;
  }
  throw new Error(`parseLogList accepted ${text}`);
}

describe('log list garbage', () => {
  const real = JSON.parse(new TextDecoder().decode(V89_JSON)) as {
    operators: { name: string; logs: Record<string, unknown>[]; tiled_logs?: Record<string, unknown>[] }[];
  };
  const goodLog = real.operators[0]!.logs[0]!;
  const otherLog = real.operators[0]!.logs[1]!;
  const listWith = (...logs: unknown[]): string =>
    JSON.stringify({ version: '1.0', operators: [{ name: 'Op', logs }] });
  const skippedFor = (entry: unknown): readonly string[] => {
    const list = parseLogList(listWith(goodLog, entry), 'test');
    expect(list.logs.map((l) => l.logId)).toEqual([goodLog.log_id]); // the good entry survives
    return list.skipped;
  };

  it('a good entry parses; log id is the SHA-256 of the key', () => {
    const list = parseLogList(listWith(goodLog), 'test');
    expect(list.skipped).toEqual([]);
    expect(list.logs[0]!.logId).toBe(toBase64(sha256(fromBase64(goodLog.key as string))));
  });

  it('documents that are not v3 log lists are refused as a whole, naming the JSON path', () => {
    expect(logListError('')).toMatch(/^not JSON: /);
    expect(logListError('{"operators": [}')).toMatch(/^not JSON: /);
    expect(logListError('\u0000')).toMatch(/^not JSON: /);
    expect(logListError('null')).toBe('top level: expected an object');
    expect(logListError('[]')).toBe('top level: expected an object');
    expect(logListError('"operators"')).toBe('top level: expected an object');
    expect(logListError('{}')).toBe('operators: expected an array');
    expect(logListError('{"operators": {}}')).toBe('operators: expected an array');
    expect(logListError('{"operators": [null]}')).toBe('operators[0]: expected an object');
    expect(logListError('{"operators": [{"name": "a"}, []]}')).toBe('operators[1]: expected an object');
    expect(logListError('{"operators": [{"name": 5}]}')).toBe('operators[0].name: expected a string');
    expect(logListError('{"operators": [{"name": "a", "logs": {}}]}')).toBe('operators[0].logs: expected an array');
    expect(logListError('{"operators": [{"name": "a", "tiled_logs": "x"}]}')).toBe(
      'operators[0].tiled_logs: expected an array',
    );
    expect(logListError('{"version": 3, "operators": []}')).toBe('$.version: expected a string');
    expect(logListError('{"log_list_timestamp": "yesterday", "operators": []}')).toBe(
      '$.log_list_timestamp: "yesterday" is not an RFC 3339 time',
    );
    expect(logListError('{"log_list_timestamp": 1700000000, "operators": []}')).toBe(
      '$.log_list_timestamp: expected a string',
    );
  });

  it('a bad entry is skipped with a message naming its JSON path', () => {
    expect(skippedFor({ ...otherLog, key: 'not base64!' })).toEqual([
      expect.stringMatching(/^operators\[0\]\.logs\[1\]\.key: invalid base64: /),
    ]);
    expect(skippedFor({ ...otherLog, key: nonCanonical(otherLog.key as string) })).toEqual([
      expect.stringMatching(/^operators\[0\]\.logs\[1\]\.key: invalid base64: non-canonical padding bits$/),
    ]);
    expect(skippedFor({ ...otherLog, key: undefined })).toEqual(['operators[0].logs[1].key: expected a string']);
    expect(skippedFor({ ...otherLog, log_id: 'AAAA' })).toEqual([
      `operators[0].logs[1].log_id: AAAA is not SHA-256 of the key (${otherLog.log_id as string})`,
    ]);
    expect(skippedFor({ ...otherLog, log_id: goodLog.log_id })).toEqual([
      `operators[0].logs[1].log_id: ${goodLog.log_id as string} ` +
        `is not SHA-256 of the key (${otherLog.log_id as string})`,
    ]);
    expect(skippedFor({ ...otherLog, log_id: 'ab_c' })).toEqual([
      expect.stringMatching(/^operators\[0\]\.logs\[1\]\.log_id: invalid base64/),
    ]);
    expect(skippedFor(42)).toEqual(['operators[0].logs[1]: expected an object']);
    expect(skippedFor({ ...otherLog, mmd: '86400' })).toEqual([
      'operators[0].logs[1].mmd: expected a number of seconds',
    ]);
    expect(skippedFor({ ...otherLog, mmd: -1 })).toEqual(['operators[0].logs[1].mmd: expected a number of seconds']);
    expect(skippedFor({ ...otherLog, description: 7 })).toEqual([
      'operators[0].logs[1].description: expected a string',
    ]);
    expect(skippedFor({ ...otherLog, state: { usable: {} } })).toEqual([
      'operators[0].logs[1].state.usable.timestamp: expected a string',
    ]);
    expect(skippedFor({ ...otherLog, state: { frozen: { timestamp: '2020-01-01T00:00:00Z' } } })).toEqual([
      'operators[0].logs[1].state: unknown state "frozen"',
    ]);
    expect(
      skippedFor({
        ...otherLog,
        state: { usable: { timestamp: '2020-01-01T00:00:00Z' }, retired: { timestamp: '2021-01-01T00:00:00Z' } },
      }),
    ).toEqual(['operators[0].logs[1].state: expected exactly one state, found 2']);
    expect(skippedFor({ ...otherLog, state: { readonly: { timestamp: '2020-01-01T00:00:00Z' } } })).toEqual([
      'operators[0].logs[1].state.readonly.final_tree_head: expected {tree_size, sha256_root_hash}',
    ]);
    expect(skippedFor({ ...otherLog, temporal_interval: { start_inclusive: '2020-01-01T00:00:00Z' } })).toEqual([
      'operators[0].logs[1].temporal_interval.end_exclusive: expected a string',
    ]);
    expect(skippedFor({ ...otherLog, previous_operators: [{ name: 'x', end_time: 'soon' }] })).toEqual([
      'operators[0].logs[1].previous_operators[0].end_time: "soon" is not an RFC 3339 time',
    ]);
    expect(skippedFor(goodLog)).toEqual([`operators[0].logs[1]: log id ${goodLog.log_id as string} is listed twice`]);
  });

  it('tiled_logs entries are checked the same way, with their own path', () => {
    const tiled = real.operators[0]!.tiled_logs![0]!;
    const list = parseLogList(
      JSON.stringify({
        operators: [
          { name: 'A', logs: [] },
          { name: 'B', logs: [goodLog], tiled_logs: [tiled, { ...tiled, log_id: goodLog.log_id }] },
        ],
      }),
      'test',
    );
    expect(list.logs.map((l) => l.type)).toEqual(['rfc6962', 'tiled']);
    expect(list.skipped).toEqual([
      expect.stringMatching(/^operators\[1\]\.tiled_logs\[1\]\.log_id: .* is not SHA-256 of the key/),
    ]);
  });

  it('times that are not RFC 3339 date-times are refused (impossible dates, no offset)', () => {
    // Date.parse rolls 2020-02-30 over to 2020-03-01, and reads a time without offset as local
    // time (the result would depend on the machine's time zone).
    const accepted: string[] = [];
    for (const time of ['2020-02-30T00:00:00Z', '2021-04-31T12:00:00Z', '2020-01-01T00:00:00', '2020-01-01T00:00']) {
      const text = `{"log_list_timestamp": "${time}", "operators": []}`;
      try {
        const list = parseLogList(text, 'test');
        accepted.push(`${time} accepted as ${new Date(list.timestamp!).toISOString()}`);
      } catch (e) {
        expect(e).toBeInstanceOf(LogListError);
        expect((e as Error).message).toBe(`$.log_list_timestamp: "${time}" is not an RFC 3339 time`);
      }
    }
    expect(accepted).toEqual([]);
    // Offsets and fractions are RFC 3339.
    expect(parseLogList('{"log_list_timestamp": "2020-01-01T01:00:00.5+01:00", "operators": []}', 't').timestamp).toBe(
      Date.UTC(2020, 0, 1, 0, 0, 0, 500),
    );
  });

  it('the real v89.25 list parses with nothing skipped', () => {
    const list = parseLogList(new TextDecoder().decode(V89_JSON), 'v89');
    expect(list.version).toBe('89.25');
    expect(list.skipped).toEqual([]);
    expect(list.logs.length).toBeGreaterThan(100);
  });
});

describe('log list signature', () => {
  it('the bundled key is the data key and the v89.25 list verifies', async () => {
    expect(googlePublicKeyPem).toBe(PUBKEY_PEM);
    await expect(verifyLogListSignature(V89_JSON, V89_SIG, PUBKEY_PEM)).resolves.toBeUndefined();
  });

  it('refuses the list with any one byte changed', async () => {
    const positions = [0, 1, 100, Math.floor(V89_JSON.length / 2), V89_JSON.length - 2, V89_JSON.length - 1];
    for (const position of positions) {
      for (const mask of [0x01, 0x20]) {
        const damaged = flipped(V89_JSON, position, mask);
        await expect(verifyLogListSignature(damaged, V89_SIG, PUBKEY_PEM), `flip at ${position}`).rejects.toThrow(
          new LogListSignatureError("log list signature does not verify with Google's log list key"),
        );
      }
    }
    // The change that matters most: a log's state or key edited. One digit of the version suffices too.
    const text = new TextDecoder().decode(V89_JSON);
    const edited = utf8(text.replace('"version": "89.25"', '"version": "89.26"'));
    expect(edited.length).toBe(V89_JSON.length);
    expect(equalBytes(edited, V89_JSON)).toBe(false);
    await expect(verifyLogListSignature(edited, V89_SIG, PUBKEY_PEM)).rejects.toBeInstanceOf(LogListSignatureError);
  });

  it('refuses truncated or extended lists, damaged or foreign signatures', async () => {
    await expect(verifyLogListSignature(V89_JSON.subarray(0, -1), V89_SIG, PUBKEY_PEM)).rejects.toBeInstanceOf(
      LogListSignatureError,
    );
    await expect(verifyLogListSignature(Uint8Array.of(...V89_JSON, 0x0a), V89_SIG, PUBKEY_PEM)).rejects.toBeInstanceOf(
      LogListSignatureError,
    );
    await expect(verifyLogListSignature(V89_JSON, flipped(V89_SIG, 200, 1), PUBKEY_PEM)).rejects.toBeInstanceOf(
      LogListSignatureError,
    );
    await expect(verifyLogListSignature(V89_JSON, V83_SIG, PUBKEY_PEM)).rejects.toBeInstanceOf(LogListSignatureError);
    await expect(verifyLogListSignature(V89_JSON, V89_SIG.subarray(1), PUBKEY_PEM)).rejects.toBeInstanceOf(
      LogListSignatureError,
    );
    await expect(verifyLogListSignature(V89_JSON, new Uint8Array(), PUBKEY_PEM)).rejects.toBeInstanceOf(
      LogListSignatureError,
    );
  });

  it('refuses a PEM without a PUBLIC KEY block', async () => {
    const certPem = readFileSync(fileURLToPath(new URL('../fixtures/rfc6962/ca-cert.pem', import.meta.url)), 'utf8');
    await expect(verifyLogListSignature(V89_JSON, V89_SIG, certPem)).rejects.toThrow(
      new LogListSignatureError('log list public key: no PUBLIC KEY PEM block'),
    );
    await expect(verifyLogListSignature(V89_JSON, V89_SIG, '')).rejects.toBeInstanceOf(LogListSignatureError);
  });
});
