import { describe, it, expect } from 'vitest';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { concatBytes, fromHex, toHex, type Bytes } from '../../src/bytes.js';
import { SctListError, decodeSct, splitSctList } from '../../src/sct/decode.js';
import { HASH_SHA256, SIGNATURE_ECDSA, SIGNATURE_RSA, type DecodedSct, type SctV1 } from '../../src/sct/types.js';
import { encodeUint, encodeVector } from '../../src/tls.js';
import { embeddedSctList } from '../../src/x509/embedded-scts.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { fixturePath, pemCert, readFixture } from '../support/fixtures.js';

/** The log id as RFC 6962 §3.2 defines it, computed with Node: SHA-256 of the key's SPKI DER. */
function logIdOf(pemFixture: string): Bytes {
  const spki = createPublicKey(readFileSync(fixturePath(pemFixture), 'utf8')).export({ type: 'spki', format: 'der' });
  return new Uint8Array(createHash('sha256').update(spki).digest());
}

function v1(sct: DecodedSct): SctV1 {
  if (sct.kind !== 'v1') throw new Error(`expected a v1 SCT, got ${sct.kind}: ${'error' in sct ? sct.error : ''}`);
  return sct;
}

const ECDSA_KEY = 'rfc6962/ct-server-key-public.pem';
const RSA_KEY = 'rfc6962/rsa/ct-server-key-public-rsa.pem';

/** Every test SCT: file, its log's key, timestamp (ms) read from the bytes by hand, signature algorithm. */
const PROOFS: [string, string, number, number][] = [
  ['rfc6962/test-cert.proof', ECDSA_KEY, 1365181456089, SIGNATURE_ECDSA],
  ['rfc6962/test-embedded-pre-cert.proof', ECDSA_KEY, 1365181456275, SIGNATURE_ECDSA],
  ['rfc6962/test-embedded-with-preca-pre-cert.proof', ECDSA_KEY, 1365181456475, SIGNATURE_ECDSA],
  ['rfc6962/test-intermediate-cert.proof', ECDSA_KEY, 1365181456860, SIGNATURE_ECDSA],
  ['rfc6962/test-embedded-with-intermediate-pre-cert.proof', ECDSA_KEY, 1365181457060, SIGNATURE_ECDSA],
  ['rfc6962/test-embedded-with-intermediate-preca-pre-cert.proof', ECDSA_KEY, 1365181457342, SIGNATURE_ECDSA],
  ['rfc6962/rsa/test-cert-rsa.proof', RSA_KEY, 1365181456089, SIGNATURE_RSA],
  ['rfc6962/rsa/test-embedded-pre-cert-rsa.proof', RSA_KEY, 1365181456275, SIGNATURE_RSA],
];

/** Builds a v1 SCT by hand (RFC 6962 §3.2 layout). */
function buildSct({
  logId = new Uint8Array(32).fill(0x11),
  timestamp = 1700000000000,
  extensions = new Uint8Array(),
  hash = HASH_SHA256,
  sig = SIGNATURE_ECDSA,
  signature = fromHex('3006020101020101'),
}: {
  logId?: Bytes;
  timestamp?: number;
  extensions?: Bytes;
  hash?: number;
  sig?: number;
  signature?: Bytes;
} = {}): Bytes {
  return concatBytes(
    Uint8Array.of(0),
    logId,
    encodeUint(timestamp, 8),
    encodeVector(extensions, 2),
    Uint8Array.of(hash, sig),
    encodeVector(signature, 2),
  );
}

/** One static-ct-api extension: extension_type (u8) and extension_data<0..2^16-1>. */
const ext = (type: number, data: Bytes): Bytes => concatBytes(Uint8Array.of(type), encodeVector(data, 2));

describe('decodeSct on the RFC 6962 test SCTs', () => {
  it('computes the expected log ids', () => {
    expect(toHex(logIdOf(ECDSA_KEY))).toBe('df1c2ec11500945247a96168325ddc5c7959e8f7c6d388fc002e0bbd3f74d764');
  });

  for (const [file, key, timestamp, sigAlg] of PROOFS) {
    it(file, () => {
      const raw = readFixture(file);
      const sct = v1(decodeSct(raw));
      expect(sct.version).toBe(0);
      expect(sct.raw).toBe(raw);
      expect(toHex(sct.logId)).toBe(toHex(logIdOf(key)));
      expect(sct.timestamp).toBe(timestamp);
      expect(toHex(sct.timestampBytes)).toBe(timestamp.toString(16).padStart(16, '0'));
      expect(sct.extensions.length).toBe(0);
      expect(sct.leafIndex).toBeUndefined();
      expect(sct.extensionsNote).toBeUndefined();
      expect(sct.hashAlgorithm).toBe(HASH_SHA256);
      expect(sct.signatureAlgorithm).toBe(sigAlg);
      // The signature is the rest of the SCT after its 2-byte length.
      expect(sct.signature.length).toBe(raw.length - 47);
      expect(toHex(sct.signature)).toBe(toHex(raw.subarray(47)));
      if (sigAlg === SIGNATURE_ECDSA) expect(sct.signature[0]).toBe(0x30);
      else expect(sct.signature.length).toBe(256); // RSA-2048
    });
  }

  it('the embedded SCT of each final test certificate is the precertificate SCT (.proof)', () => {
    const pairs: [string, string][] = [
      ['rfc6962/test-embedded-cert.pem', 'rfc6962/test-embedded-pre-cert.proof'],
      ['rfc6962/test-embedded-with-preca-cert.pem', 'rfc6962/test-embedded-with-preca-pre-cert.proof'],
      ['rfc6962/test-embedded-with-intermediate-cert.pem', 'rfc6962/test-embedded-with-intermediate-pre-cert.proof'],
      [
        'rfc6962/test-embedded-with-intermediate-preca-cert.pem',
        'rfc6962/test-embedded-with-intermediate-preca-pre-cert.proof',
      ],
    ];
    for (const [cert, proof] of pairs) {
      const list = embeddedSctList(parseCertificate(pemCert(cert)));
      expect(list.status, cert).toBe('ok');
      if (list.status !== 'ok') continue;
      expect(list.scts.length).toBe(1);
      expect(toHex(list.scts[0]!)).toBe(toHex(readFixture(proof)));
    }
  });
});

describe('splitSctList', () => {
  const listError = (bytes: Bytes): SctListError => {
    try {
      splitSctList(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(SctListError);
      expect((e as Error).name).toBe('SctListError');
      return e as SctListError;
    }
    throw new Error(`expected SctListError for ${toHex(bytes)}`);
  };

  it('splits a list of entries, as views of the input', () => {
    const list = fromHex('0009 0002 aabb 0003 ccddee');
    const entries = splitSctList(list);
    expect(entries.map((e) => toHex(e))).toEqual(['aabb', 'ccddee']);
    expect(entries[0]!.buffer).toBe(list.buffer);
    const one = readFixture('rfc6962/test-cert.proof');
    const wrapped = encodeVector(encodeVector(one, 2), 2);
    expect(splitSctList(wrapped).map((e) => toHex(e))).toEqual([toHex(one)]);
  });

  it('refuses an empty list (sct_list<1..2^16-1>)', () => {
    expect(listError(fromHex('0000')).message).toMatch(/SCT list: length 0 is below the minimum 1/);
    expect(listError(new Uint8Array()).message).toMatch(/SCT list length: needs 2 bytes/);
    expect(listError(fromHex('00')).message).toMatch(/needs 2 bytes/);
  });

  it('refuses a zero-length entry (SerializedSCT<1..2^16-1>)', () => {
    expect(listError(fromHex('0002 0000')).message).toMatch(/SCT #1: length 0 is below the minimum 1/);
    expect(listError(fromHex('0005 0001 aa 0000')).message).toMatch(/SCT #2: length 0 is below the minimum 1/);
  });

  it('refuses overruns of the list or of an entry', () => {
    expect(listError(fromHex('0005 0001 aa')).message).toMatch(/SCT list: needs 5 bytes at offset 2, only 3 left/);
    expect(listError(fromHex('0003 0005 aa')).message).toMatch(/SCT #1: needs 5 bytes/);
    expect(listError(fromHex('0004 0001 aa 00')).message).toMatch(/SCT #2 length: needs 2 bytes/);
  });

  it('refuses trailing bytes after the list', () => {
    expect(listError(fromHex('0003 0001 aa ff')).message).toMatch(/SCT list: 1 trailing bytes at offset 5/);
    expect(listError(fromHex('0003 0001 aa 0003 0001 aa')).message).toMatch(/trailing bytes/);
  });
});

describe('decodeSct', () => {
  it('an empty SCT is malformed', () => {
    expect(decodeSct(new Uint8Array())).toEqual({ kind: 'malformed', raw: new Uint8Array(), error: 'SCT is empty' });
  });

  it('a first byte other than 0 is an unsupported version, its body not read', () => {
    const v2 = concatBytes(Uint8Array.of(1), buildSct().subarray(1));
    const sct = decodeSct(v2);
    expect(sct).toEqual({ kind: 'unsupported-version', raw: v2, version: 1 });
    expect(decodeSct(Uint8Array.of(1))).toEqual({ kind: 'unsupported-version', raw: Uint8Array.of(1), version: 1 });
    expect(decodeSct(Uint8Array.of(0xff, 0, 0))).toMatchObject({ kind: 'unsupported-version', version: 255 });
  });

  it('every truncation of a valid SCT is malformed, naming the field', () => {
    const raw = readFixture('rfc6962/test-cert.proof');
    const fieldAt = (n: number): RegExp =>
      n === 0
        ? /SCT is empty/
        : n < 33
          ? /^log_id: needs 32 bytes/
          : n < 41
            ? /^timestamp: needs 8 bytes/
            : n < 43
              ? /^extensions length: needs 2 bytes/
              : n < 44
                ? /^hash algorithm: needs 1 bytes/
                : n < 45
                  ? /^signature algorithm: needs 1 bytes/
                  : n < 47
                    ? /^signature length: needs 2 bytes/
                    : /^signature: needs \d+ bytes/;
    for (let n = 0; n < raw.length; n++) {
      const sct = decodeSct(raw.subarray(0, n));
      expect(sct.kind, `length ${n}`).toBe('malformed');
      if (sct.kind === 'malformed') expect(sct.error, `length ${n}`).toMatch(fieldAt(n));
    }
  });

  it('trailing bytes make an SCT malformed', () => {
    const raw = concatBytes(readFixture('rfc6962/test-cert.proof'), Uint8Array.of(0));
    expect(decodeSct(raw)).toMatchObject({ kind: 'malformed', error: 'SCT: 1 trailing bytes at offset 118' });
  });

  it('reads the static-ct-api leaf_index extension (uint40)', () => {
    const extensions = ext(0, fromHex('00 00 00 01 02'));
    expect(toHex(extensions)).toBe('0000050000000102');
    const sct = v1(decodeSct(buildSct({ extensions })));
    expect(sct.leafIndex).toBe(258);
    expect(sct.extensionsNote).toBeUndefined();
    expect(toHex(sct.extensions)).toBe('0000050000000102');
    expect(toHex(sct.signature)).toBe('3006020101020101');

    expect(v1(decodeSct(buildSct({ extensions: ext(0, fromHex('ffffffffff')) }))).leafIndex).toBe(2 ** 40 - 1);
    expect(v1(decodeSct(buildSct({ extensions: ext(0, fromHex('0000000000')) }))).leafIndex).toBe(0);
    expect(v1(decodeSct(buildSct({ extensions: ext(0, fromHex('0123456789')) }))).leafIndex).toBe(0x0123456789);
  });

  it('a leaf_index of the wrong length gives no index and a note; the SCT stays v1', () => {
    for (const data of ['', '00', '00000001', '000000000001']) {
      const sct = v1(decodeSct(buildSct({ extensions: ext(0, fromHex(data)) })));
      expect(sct.leafIndex, data).toBeUndefined();
      expect(sct.extensionsNote).toBe(
        `extensions are not static-ct-api extensions: leaf_index is ${data.length / 2} bytes, expected 5 (uint40)`,
      );
    }
  });

  it('a repeated extension type gives no index and a note', () => {
    const twice = concatBytes(ext(0, fromHex('0000000001')), ext(0, fromHex('0000000002')));
    const sct = v1(decodeSct(buildSct({ extensions: twice })));
    expect(sct.leafIndex).toBeUndefined();
    expect(sct.extensionsNote).toBe('extensions are not static-ct-api extensions: extension 0 appears twice');

    const unknownTwice = concatBytes(ext(7, new Uint8Array()), ext(0, fromHex('0000000001')), ext(7, fromHex('aa')));
    const sct2 = v1(decodeSct(buildSct({ extensions: unknownTwice })));
    expect(sct2.leafIndex).toBeUndefined();
    expect(sct2.extensionsNote).toMatch(/extension 7 appears twice/);
  });

  it('unknown extension types are tolerated', () => {
    const before = concatBytes(ext(7, fromHex('abcdef')), ext(0, fromHex('000000002a')), ext(255, new Uint8Array()));
    const sct = v1(decodeSct(buildSct({ extensions: before })));
    expect(sct.leafIndex).toBe(42);
    expect(sct.extensionsNote).toBeUndefined();

    const onlyUnknown = v1(decodeSct(buildSct({ extensions: ext(9, fromHex('0102')) })));
    expect(onlyUnknown.leafIndex).toBeUndefined();
    expect(onlyUnknown.extensionsNote).toBeUndefined();
  });

  it('extension bytes that are not static-ct-api extensions are kept as signed, with a note', () => {
    for (const data of ['00', '0000', '00000500', 'ff0002aa']) {
      const sct = v1(decodeSct(buildSct({ extensions: fromHex(data) })));
      expect(toHex(sct.extensions)).toBe(data);
      expect(sct.leafIndex).toBeUndefined();
      expect(sct.extensionsNote, data).toMatch(/^extensions are not static-ct-api extensions: /);
    }
  });

  it('timestamps past 2^53 are clamped; the bytes are kept', () => {
    const raw = buildSct();
    raw.fill(0xff, 33, 41);
    const sct = v1(decodeSct(raw));
    expect(sct.timestamp).toBe(Number.MAX_SAFE_INTEGER);
    expect(toHex(sct.timestampBytes)).toBe('ffffffffffffffff');
    const exact = v1(decodeSct(buildSct({ timestamp: Number.MAX_SAFE_INTEGER })));
    expect(exact.timestamp).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("reads any hash and signature algorithm byte (checking them is verification's job)", () => {
    const sct = v1(decodeSct(buildSct({ hash: 2, sig: 0 })));
    expect([sct.hashAlgorithm, sct.signatureAlgorithm]).toEqual([2, 0]);
  });
});
