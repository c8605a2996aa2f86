import { describe, it, expect } from 'vitest';
import { Buffer } from 'node:buffer';
import {
  concatBytes,
  equalBytes,
  fromBase64,
  fromHex,
  fromUtf8,
  sha256,
  toBase64,
  toHex,
  utf8,
} from '../../src/bytes.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function bytesOf(length: number, seed: number): Uint8Array {
  let x = seed || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('base64', () => {
  it('round-trips every length 0..40 and matches Node for several byte patterns', () => {
    for (let length = 0; length <= 40; length++) {
      const patterns = [bytesOf(length, length + 7), new Uint8Array(length), new Uint8Array(length).fill(0xff)];
      for (const bytes of patterns) {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(text.length % 4).toBe(0);
        expect(fromBase64(text)).toEqual(bytes);
      }
    }
  });

  it('decodes the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64(utf8(plain))).toBe(encoded);
      expect(fromUtf8(fromBase64(encoded))).toBe(plain);
    }
  });

  it('rejects lengths that are not a multiple of 4', () => {
    for (const text of ['A', 'AB', 'ABC', 'ABCDE', 'Zm9vYg=', 'Zm9vYg', 'Zm9vYmF', 'Zg===']) {
      expect(() => fromBase64(text), text).toThrow(/invalid base64: length \d+ is not a multiple of 4/);
    }
  });

  it('rejects characters outside the standard alphabet', () => {
    const bad = ['Zm9*', 'Zm9-', 'Zm9_', 'Zm9.', 'Zm9\u00e9', 'Zm9\u0100', 'Zm\u00009', 'Zm 9', 'Zm9v\nYmFy'];
    for (const text of bad) {
      expect(() => fromBase64(text), JSON.stringify(text)).toThrow(/invalid base64/);
    }
    // The offending position is named.
    expect(() => fromBase64('Zm9vYm*y')).toThrow('invalid base64: unexpected character at 6');
  });

  it('rejects misplaced padding', () => {
    for (const text of ['====', 'A===', '=AAA', 'A=AA', 'AA=A', 'Zg==Zm9v', 'Zm8=Zm9v', 'Zg=\u003d=AAA']) {
      expect(() => fromBase64(text), text).toThrow(/invalid base64/);
    }
  });

  it('rejects non-canonical padding bits (one "=": low 2 bits; two "=": low 4 bits must be zero)', () => {
    let accepted2 = 0;
    let accepted1 = 0;
    for (let v = 0; v < 64; v++) {
      const c = B64[v]!;
      const two = `Z${c}==`;
      if ((v & 0x0f) === 0) {
        expect(fromBase64(two), two).toEqual(Uint8Array.of((25 << 2) | (v >> 4)));
        accepted2++;
      } else {
        expect(() => fromBase64(two), two).toThrow('invalid base64: non-canonical padding bits');
      }
      const one = `Zm${c}=`;
      if ((v & 0x03) === 0) {
        expect(fromBase64(one), one).toEqual(Uint8Array.of(0x66, ((0x26 << 4) & 0xff) | (v >> 2)));
        accepted1++;
      } else {
        expect(() => fromBase64(one), one).toThrow('invalid base64: non-canonical padding bits');
      }
    }
    expect(accepted2).toBe(4);
    expect(accepted1).toBe(16);
    // Node accepts these leniently; ctlens must not.
    expect(Buffer.from('Zh==', 'base64')).toEqual(Buffer.from('Zg==', 'base64'));
    expect(() => fromBase64('Zh==')).toThrow(/non-canonical/);
  });

  it('accepts whitespace only when asked (PEM bodies)', () => {
    const text = 'Zm9v\nYmFy\r\n Zg==\t';
    expect(() => fromBase64(text)).toThrow(/invalid base64/);
    expect(fromUtf8(fromBase64(text, { allowWhitespace: true }))).toBe('foobarf');
    // Whitespace does not excuse a bad length.
    expect(() => fromBase64('Zm9\nv Y', { allowWhitespace: true })).toThrow(/not a multiple of 4/);
  });
});

describe('hex', () => {
  it('encodes lowercase, with an optional separator', () => {
    expect(toHex(new Uint8Array())).toBe('');
    expect(toHex(Uint8Array.of(0, 1, 0x0f, 0x10, 0xab, 0xff))).toBe('00010f10abff');
    expect(toHex(Uint8Array.of(0xde, 0xad, 0xbe, 0xef), ':')).toBe('de:ad:be:ef');
    expect(toHex(Uint8Array.of(0x7f), ':')).toBe('7f');
  });

  it('round-trips every byte value and accepts upper case, colons and whitespace', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromHex(toHex(all))).toEqual(all);
    expect(fromHex(toHex(all, ':'))).toEqual(all);
    expect(fromHex('DE:AD be ef\n00')).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0));
    expect(fromHex('')).toEqual(new Uint8Array());
  });

  it('rejects odd lengths and non-hex characters', () => {
    for (const text of ['0', 'abc', '0g', 'zz', '0x00', '-1', '1 2 3', '+0']) {
      expect(() => fromHex(text), text).toThrow('invalid hex string');
    }
  });
});

describe('other byte helpers', () => {
  it('concatBytes and equalBytes', () => {
    expect(concatBytes()).toEqual(new Uint8Array());
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(equalBytes(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it('utf8 is strict when decoding', () => {
    expect(fromUtf8(utf8('ctlens \u2713'))).toBe('ctlens \u2713');
    expect(() => fromUtf8(Uint8Array.of(0xc3))).toThrow();
    expect(() => fromUtf8(Uint8Array.of(0xff, 0x41))).toThrow();
  });

  it('sha256 matches the FIPS 180-2 "abc" vector', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
