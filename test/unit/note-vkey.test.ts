/**
 * Verifier keys (c2sp.org/signed-note, "Verifier keys"), field by field: the spec's own example,
 * the torchwood ML-DSA-44 vkey, keys made here with node:crypto (key IDs computed here, not by
 * src/), and one broken field at a time.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVkey, VkeyError } from '../../src/note/vkey.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const keyId = (name: string, type: number, key: Uint8Array): string =>
  createHash('sha256').update(`${name}\n`).update(Buffer.of(type)).update(key).digest().subarray(0, 4).toString('hex');
const rawEd25519 = (): Buffer =>
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
const vkey = (name: string, type: number, key: Uint8Array, id = keyId(name, type, key)): string =>
  `${name}+${id}+${b64(Buffer.concat([Buffer.of(type), key]))}`;

function problem(text: string): string {
  try {
    parseVkey(text);
  } catch (e) {
    expect(e).toBeInstanceOf(VkeyError);
    return (e as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

describe('vkeys that parse', () => {
  it('the signed-note example: an Ed25519 key (type 0x01) with its key ID', () => {
    const key = parseVkey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    expect(key).toMatchObject({ name: 'example.com/foo', type: 'ed25519' });
    expect(Buffer.from(key.keyId).toString('hex')).toBe('530d903a');
    expect(key.publicKey).toHaveLength(32);
  });

  it('a cosignature/v1 key (0x04): key ID over the name, 0x0A, 0x04 and the 32-byte key', () => {
    const raw = rawEd25519();
    const key = parseVkey(vkey('witness.example/w1', 0x04, raw));
    expect(key.type).toBe('cosignature/v1');
    expect(Buffer.from(key.publicKey).equals(raw)).toBe(true);
  });

  it('an ML-DSA-44 key (0x06) of 1312 bytes: the torchwood litewitness test key', () => {
    const text = readFileSync(new URL('../fixtures/witness/torchwood-mldsa44.vkey', import.meta.url), 'utf8').trim();
    const key = parseVkey(text);
    expect(key).toMatchObject({ name: 'example.com/mldsa-log', type: 'ml-dsa-44' });
    expect(key.publicKey).toHaveLength(1312);
  });

  it('an RFC 6962 key (0x05): the SPKI as key material, the key ID over the LogID (static-ct-api)', () => {
    const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const logId = createHash('sha256').update(spki).digest();
    const key = parseVkey(vkey('ct.example/2026h1', 0x05, spki, keyId('ct.example/2026h1', 0x05, logId)));
    expect(key.type).toBe('rfc6962');
    // The key ID of the SPKI itself (as for other types) is not the one.
    expect(problem(vkey('ct.example/2026h1', 0x05, spki))).toMatch(
      /key ID [0-9a-f]{8} of "ct.example\/2026h1" is not the one/,
    );
  });

  it('a key name with non-ASCII letters (names are UTF-8, only spaces and "+" are out)', () => {
    expect(parseVkey(vkey('témoin.example/ü', 0x04, rawEd25519())).name).toBe('témoin.example/ü');
  });
});

describe('vkeys that do not parse, one field at a time', () => {
  const raw = rawEd25519();
  const good = vkey('w.example/1', 0x04, raw);
  // The base64 may hold '+' too: split at the first two only.
  const id = good.split('+')[1]!;
  const key = good.slice(good.indexOf('+', good.indexOf('+') + 1) + 1);

  it('the three "+"-separated parts', () => {
    expect(problem('w.example/1')).toMatch(/two "\+"/);
    expect(problem(`w.example/1+${id}`)).toMatch(/two "\+"/);
  });

  it('the key name: non-empty, no Unicode spaces (ASCII or not), no control characters', () => {
    expect(problem(`+${id}+${key}`)).toMatch(/key name is empty/);
    expect(problem(vkey('w example', 0x04, raw))).toMatch(/contains a space/);
    expect(problem(vkey('w\u00a0example', 0x04, raw))).toMatch(/contains a space/);
    expect(problem(vkey('w\u3000example', 0x04, raw))).toMatch(/contains a space/);
    expect(problem(vkey('w\u0007example', 0x04, raw))).toMatch(/control character/);
  });

  it('the key ID: exactly 8 lowercase hex digits, and the one the key gives', () => {
    expect(problem(`w.example/1+${id.toUpperCase()}+${key}`)).toMatch(/not 8 lowercase hex digits/);
    expect(problem(`w.example/1+${id.slice(1)}+${key}`)).toMatch(/not 8 lowercase hex digits/);
    expect(problem(`w.example/1+${id}0+${key}`)).toMatch(/not 8 lowercase hex digits/);
    const wrong = ((parseInt(id, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
    expect(problem(`w.example/1+${wrong}+${key}`)).toMatch(
      new RegExp(`key ID ${wrong} .* is not the one its cosignature/v1 key gives, ${id}`),
    );
    // Another name, same key: the key ID commits to the name.
    expect(problem(`w.example/2+${id}+${key}`)).toMatch(/is not the one/);
  });

  it('the key: strict base64', () => {
    expect(problem(`w.example/1+${id}+${key.slice(0, -1)}`)).toMatch(/invalid base64: length/);
    expect(problem(`w.example/1+${id}+${key.slice(0, -4)}*AA=`)).toMatch(/invalid base64: unexpected character/);
    expect(problem(`w.example/1+${id}+ ${key.slice(1)}`)).toMatch(/invalid base64/);
    // A final quantum with stray low bits: "AQ==" is 0x01, "AR==" is not canonical.
    expect(problem(`w.example/1+00000000+AR==`)).toMatch(/non-canonical padding bits/);
    expect(problem(`w.example/1+00000000+`)).toMatch(/empty \(no signature type byte\)/);
  });

  it('the type byte: one ctlens verifies', () => {
    const other = (type: number) => vkey('w.example/1', type, raw);
    expect(problem(other(0x02))).toMatch(/signature type 0x02 \(ECDSA, transparency-dev\/witness\)/);
    expect(problem(other(0x03))).toMatch(/signature type 0x03 \(reserved\)/);
    expect(problem(other(0x07))).toMatch(/signature type 0x07 \(not assigned\)/);
    expect(problem(other(0xff))).toMatch(/signature type 0xff/);
    // A cosignature key relabelled 0x01 keeps the 0x04 key ID: refused.
    expect(problem(`w.example/1+${id}+${b64(Buffer.concat([Buffer.of(0x01), raw]))}`)).toMatch(
      /is not the one its ed25519 key gives/,
    );
  });

  it("the key material: its type's exact length and form", () => {
    expect(problem(vkey('w.example/1', 0x04, raw.subarray(1)))).toMatch(
      /cosignature\/v1 key of "w.example\/1" is 31 bytes, expected 32/,
    );
    expect(problem(vkey('w.example/1', 0x01, Buffer.concat([raw, Buffer.of(0)])))).toMatch(/33 bytes, expected 32/);
    expect(problem(vkey('w.example/1', 0x06, raw))).toMatch(/ml-dsa-44 key .* is 32 bytes, expected 1312/);
    // y = 2 is not on the curve: x² = (y² − 1)/(d·y² + 1) has no square root (RFC 8032 §5.1.3).
    const offCurve = Buffer.alloc(32);
    offCurve[0] = 2;
    expect(problem(vkey('w.example/1', 0x04, offCurve))).toMatch(/not a valid Ed25519 point/);
    expect(problem(vkey('ct.example', 0x05, Buffer.from('not der')))).toMatch(
      /rfc6962 key of "ct.example" is not an SPKI/,
    );
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    const edId = keyId('ct.example', 0x05, createHash('sha256').update(ed).digest());
    expect(problem(vkey('ct.example', 0x05, ed, edId))).toMatch(
      /rfc6962 key of "ct.example" is unsupported: key algorithm 1.3.101.112/,
    );
  });
});
