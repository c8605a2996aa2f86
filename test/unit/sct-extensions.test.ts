/**
 * static-ct-api's SCT extensions (c2sp.org/static-ct-api, "SCT Extension"): the one reader the
 * SCT decoder and the data tiles use, and the writer the local log uses, against fixed bytes.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/bytes.js';
import { leafIndexExtensions, readSctExtensions } from '../../src/sct/extensions.js';
import { TlsDecodeError } from '../../src/tls.js';

describe('leaf_index: writer and reader', () => {
  it('writes extension_type 0, a 2-byte length 5, and the uint40 big-endian', () => {
    expect(toHex(leafIndexExtensions(0))).toBe('0000050000000000');
    expect(toHex(leafIndexExtensions(300))).toBe('000005000000012c');
    expect(toHex(leafIndexExtensions(2 ** 40 - 1))).toBe('000005ffffffffff');
    expect(() => leafIndexExtensions(2 ** 40)).toThrow(RangeError);
  });

  it('reads back what it writes; no extensions, or only unknown ones, have no leaf_index', () => {
    for (const n of [0, 1, 255, 256, 70_000, 0x0123456789, 2 ** 40 - 1]) {
      expect(readSctExtensions(leafIndexExtensions(n))).toEqual({ leafIndex: n });
    }
    expect(readSctExtensions(new Uint8Array(0))).toEqual({ leafIndex: undefined });
    expect(readSctExtensions(fromHex('09 0002 0102'))).toEqual({ leafIndex: undefined });
    expect(readSctExtensions(fromHex('09 0000  00 0005 0000000007'))).toEqual({ leafIndex: 7 });
  });

  it('refuses, naming it, a truncated extension, a type twice, and a leaf_index that is not a uint40', () => {
    const cases: [string, string][] = [
      ['00', 'extension 0 data length: needs 2 bytes at offset 1, only 0 left'],
      ['00 0005 00000000', 'extension 0 data: needs 5 bytes at offset 3, only 4 left'],
      ['00 0004 00000001', 'leaf_index is 4 bytes, expected 5 (uint40)'],
      ['00 0006 000000000001', 'leaf_index is 6 bytes, expected 5 (uint40)'],
      ['00 0005 0000000001 00 0005 0000000002', 'extension 0 appears twice'],
      ['07 0000 07 0000', 'extension 7 appears twice'],
    ];
    for (const [hex, message] of cases) {
      expect(() => readSctExtensions(fromHex(hex)), hex).toThrow(new TlsDecodeError(message));
    }
  });
});
