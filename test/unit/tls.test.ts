/**
 * The one TLS reader (RFC 5246 §4): every width read through TlsReader, uint64 exact below 2^53
 * and refused or saturated beyond, checked against the engine's own BigInt reading.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/bytes.js';
import { TlsDecodeError, TlsReader, encodeUint } from '../../src/tls.js';

/** The reference: DataView's getBigUint64, an independent big-endian uint64 reader. */
const bigUint64 = (bytes: Uint8Array): bigint => new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);

describe('TlsReader.u64', () => {
  it('is exact up to 2^53 - 1 and refuses more, naming the field', () => {
    expect(new TlsReader(fromHex('001fffffffffffff')).u64('tree_size')).toBe(Number.MAX_SAFE_INTEGER);
    expect(new TlsReader(fromHex('0000000000000000')).u64('tree_size')).toBe(0);
    expect(new TlsReader(fromHex('0000018d2a3b4c5d')).u64('timestamp')).toBe(0x18d2a3b4c5d);
    for (const hex of ['0020000000000000', '0100000000000000', 'ffffffffffffffff']) {
      const refused = new TlsDecodeError('tree_size does not fit in 53 bits');
      expect(() => new TlsReader(fromHex(hex)).u64('tree_size'), hex).toThrow(refused);
    }
  });

  it("saturates to Number.MAX_SAFE_INTEGER when asked ('saturate'), and only beyond 2^53 - 1", () => {
    expect(new TlsReader(fromHex('ffffffffffffffff')).u64('timestamp', 'saturate')).toBe(Number.MAX_SAFE_INTEGER);
    expect(new TlsReader(fromHex('0020000000000000')).u64('timestamp', 'saturate')).toBe(Number.MAX_SAFE_INTEGER);
    expect(new TlsReader(fromHex('001ffffffffffffe')).u64('timestamp', 'saturate')).toBe(Number.MAX_SAFE_INTEGER - 1);
  });

  it('agrees with BigInt on every value below 2^53 it is given, and consumes exactly 8 bytes', () => {
    let x = 0x9e3779b9;
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(9);
      for (let k = 0; k < 9; k++) bytes[k] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
      // Below 2^53: the top 11 bits clear (half the cases with most of the range, half small).
      bytes[0] = 0;
      bytes[1]! &= i % 2 ? 0x1f : 0x01;
      const r = new TlsReader(bytes);
      expect(BigInt(r.u64('n'))).toBe(bigUint64(bytes));
      expect(r.remaining).toBe(1);
    }
  });

  it('a short input names the field and the offset', () => {
    const short = new TlsDecodeError('timestamp: needs 8 bytes at offset 0, only 7 left');
    expect(() => new TlsReader(fromHex('00010203040506')).u64('timestamp')).toThrow(short);
  });

  it('round-trips with encodeUint(n, 8)', () => {
    for (const n of [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(new TlsReader(encodeUint(n, 8)).u64('n'), String(n)).toBe(n);
      expect(bigUint64(encodeUint(n, 8))).toBe(BigInt(n));
    }
  });
});

describe('TlsReader.uint', () => {
  it('reads 1 to 6 bytes big-endian; wider widths are refused as a programming error', () => {
    const r = new TlsReader(fromHex('01 0203 040506 0708090a0b'));
    expect([r.u8('a'), r.u16('b'), r.uint(3, 'c'), r.uint(5, 'd')]).toEqual([1, 0x0203, 0x040506, 0x0708090a0b]);
    r.end('all');
    expect(() => new TlsReader(new Uint8Array(8)).uint(7, 'x')).toThrow(RangeError);
    expect(() => new TlsReader(new Uint8Array(8)).uint(0, 'x')).toThrow(RangeError);
  });
});
