import { describe, it, expect } from 'vitest';
import { fromHex, utf8 } from '../../src/bytes.js';
import {
  DerError,
  TAG,
  children,
  contextTag,
  decodeOid,
  decodeTime,
  encodeLength,
  expectElement,
  readElement,
  type DerElement,
} from '../../src/der/element.js';

const h = fromHex;

function derError(fn: () => unknown): DerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DerError);
    return e as DerError;
  }
  throw new Error('expected a DerError, nothing was thrown');
}

describe('readElement', () => {
  it('reads short and long form lengths with correct offsets', () => {
    expect(readElement(h('0500'), 0)).toEqual({ tag: 0x05, start: 0, contentStart: 2, end: 2 });
    expect(readElement(h('ff 04 02 aa bb ff'), 1)).toEqual({ tag: 0x04, start: 1, contentStart: 3, end: 5 });
    const long = new Uint8Array(3 + 200);
    long.set(h('30 81 c8'));
    expect(readElement(long, 0)).toEqual({ tag: 0x30, start: 0, contentStart: 3, end: 203 });
    const longer = new Uint8Array(4 + 300);
    longer.set(h('04 82 01 2c'));
    expect(readElement(longer, 0)).toEqual({ tag: 0x04, start: 0, contentStart: 4, end: 304 });
  });

  it('rejects a truncated header', () => {
    expect(derError(() => readElement(new Uint8Array(), 0)).message).toBe('element: truncated header at offset 0');
    expect(derError(() => readElement(h('30'), 0, 1, 'Certificate')).message).toBe(
      'Certificate: truncated header at offset 0',
    );
    // The limit, not the buffer, bounds the read.
    expect(derError(() => readElement(h('aa 30 00'), 1, 2)).message).toMatch(/truncated header at offset 1/);
  });

  it('rejects a truncated length', () => {
    expect(derError(() => readElement(h('30 81'), 0)).message).toMatch(/truncated length at offset 0/);
    expect(derError(() => readElement(h('30 82 01'), 0)).message).toMatch(/truncated length/);
    expect(derError(() => readElement(h('30 84 01 00 00'), 0)).message).toMatch(/truncated length/);
    expect(derError(() => readElement(h('30 82 01 00 00'), 0, 3)).message).toMatch(/truncated length/);
  });

  it('rejects the indefinite length form', () => {
    expect(derError(() => readElement(h('30 80 02 01 01 00 00'), 0)).message).toMatch(/indefinite length is not DER/);
  });

  it('rejects non-minimal long-form lengths', () => {
    const cases = [
      '04 81 05 0102030405',
      '04 81 7f',
      '04 82 00 80',
      '04 82 00 05 0102030405',
      '04 83 00 01 00',
      '04 84 00 00 00 00',
    ];
    for (const hex of cases) {
      const bytes = new Uint8Array(1000);
      bytes.set(h(hex));
      expect(derError(() => readElement(bytes, 0)).message, hex).toMatch(/non-minimal length encoding/);
    }
    // The smallest legitimate long forms are accepted.
    const ok80 = new Uint8Array(3 + 0x80);
    ok80.set(h('04 81 80'));
    expect(readElement(ok80, 0).end).toBe(ok80.length);
    const ok100 = new Uint8Array(4 + 0x100);
    ok100.set(h('04 82 01 00'));
    expect(readElement(ok100, 0).end).toBe(ok100.length);
  });

  it('rejects lengths of more than 4 octets', () => {
    expect(derError(() => readElement(h('04 85 01 00 00 00 00'), 0)).message).toMatch(
      /length of 5 octets is too large/,
    );
    expect(derError(() => readElement(h('04 ff'), 0)).message).toMatch(/length of 127 octets is too large/);
  });

  it('rejects an element that overruns its container', () => {
    expect(derError(() => readElement(h('30 03 02 01'), 0)).message).toBe(
      'element: length 3 at offset 0 overruns its container by 1 bytes',
    );
    // Fits the buffer but not the given limit (a child overrunning its parent).
    expect(derError(() => readElement(h('30 03 02 01 05'), 0, 4)).message).toMatch(/overruns its container by 1 bytes/);
    const huge = h('04 84 ff ff ff ff 00');
    expect(derError(() => readElement(huge, 0)).message).toMatch(/length 4294967295 at offset 0 overruns/);
    // children() applies the parent's end as the limit.
    const bytes = h('30 03 02 02 01 ff');
    const outer: DerElement = { tag: 0x30, start: 0, contentStart: 2, end: 5 };
    expect(derError(() => children(bytes, outer, 'inner')).message).toMatch(
      /^inner: length 2 at offset 2 overruns its container by 1 bytes$/,
    );
  });

  it('rejects high tag numbers (low 5 bits all set)', () => {
    for (const tag of [0x1f, 0x3f, 0x9f, 0xbf, 0xff]) {
      expect(derError(() => readElement(Uint8Array.of(tag, 0x01, 0x00), 0)).message).toMatch(
        /high tag numbers are not supported/,
      );
    }
    // Tag 30 (0x1e) is still a low tag number.
    expect(readElement(h('1e 00'), 0).tag).toBe(0x1e);
  });

  it('expectElement checks the tag; children must exactly fill the parent', () => {
    expect(derError(() => expectElement(h('31 00'), 0, 2, TAG.SEQUENCE, 'Name')).message).toBe(
      'Name: expected tag 0x30, found 0x31 at offset 0',
    );
    const seq = h('30 06 02 01 01 04 01 aa');
    const kids = children(seq, readElement(seq, 0));
    expect(kids.map((k) => k.tag)).toEqual([TAG.INTEGER, TAG.OCTET_STRING]);
    expect(kids.map((k) => [k.start, k.end])).toEqual([
      [2, 5],
      [5, 8],
    ]);
    expect(children(h('30 00'), readElement(h('30 00'), 0))).toEqual([]);
    // A stray single byte at the end of a constructed element is a truncated header.
    const stray = h('30 04 02 01 01 00');
    expect(derError(() => children(stray, readElement(stray, 0))).message).toMatch(/truncated header at offset 5/);
    expect(contextTag(3, true)).toBe(0xa3);
    expect(contextTag(1, false)).toBe(0x81);
  });
});

describe('encodeLength', () => {
  it('produces minimal encodings', () => {
    expect(encodeLength(0)).toEqual(h('00'));
    expect(encodeLength(0x7f)).toEqual(h('7f'));
    expect(encodeLength(0x80)).toEqual(h('81 80'));
    expect(encodeLength(0xff)).toEqual(h('81 ff'));
    expect(encodeLength(0x100)).toEqual(h('82 01 00'));
    expect(encodeLength(0xffff)).toEqual(h('82 ff ff'));
    expect(encodeLength(0x10000)).toEqual(h('83 01 00 00'));
    expect(encodeLength(0xffffff)).toEqual(h('83 ff ff ff'));
    expect(encodeLength(0x1000000)).toEqual(h('84 01 00 00 00'));
    expect(encodeLength(0xffffffff)).toEqual(h('84 ff ff ff ff'));
  });

  it('round-trips through readElement', () => {
    const lengths = [...Array.from({ length: 300 }, (_, i) => i), 0x3ff, 0xffff, 0x10000, 0x10001, 70000];
    for (const n of lengths) {
      const header = encodeLength(n);
      const der = new Uint8Array(1 + header.length + n);
      der[0] = TAG.OCTET_STRING;
      der.set(header, 1);
      expect(readElement(der, 0), `length ${n}`).toEqual({
        tag: 4,
        start: 0,
        contentStart: 1 + header.length,
        end: der.length,
      });
    }
  });

  it('refuses negative and non-integer lengths', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => encodeLength(n), String(n)).toThrow(DerError);
    }
  });
});

describe('decodeOid', () => {
  it('decodes well-known OIDs', () => {
    const known: [string, string][] = [
      ['2a864886f70d01010b', '1.2.840.113549.1.1.11'],
      ['2a864886f70d010101', '1.2.840.113549.1.1.1'],
      ['2a8648ce3d0201', '1.2.840.10045.2.1'],
      ['2a8648ce3d030107', '1.2.840.10045.3.1.7'],
      ['2a8648ce3d040302', '1.2.840.10045.4.3.2'],
      ['2b06010401d679020402', '1.3.6.1.4.1.11129.2.4.2'],
      ['2b06010401d679020403', '1.3.6.1.4.1.11129.2.4.3'],
      ['2b06010401d679020404', '1.3.6.1.4.1.11129.2.4.4'],
      ['551d23', '2.5.29.35'],
      ['550403', '2.5.4.3'],
      ['00', '0.0'],
      ['27', '0.39'],
      ['28', '1.0'],
      ['4f', '1.39'],
      ['50', '2.0'],
      ['8837', '2.999'],
      ['883703', '2.999.3'],
      ['099226', '0.9.2342'],
      ['2a7f81008180808000', '1.2.127.128.268435456'],
    ];
    for (const [hex, oid] of known) expect(decodeOid(h(hex)), hex).toBe(oid);
  });

  it('rejects a leading 0x80 octet in any arc', () => {
    for (const hex of ['80 01', '2a 80 01', '2a 86 48 80 86 f7 0d', '2a 80 80 01']) {
      expect(derError(() => decodeOid(h(hex))).message, hex).toBe('OBJECT IDENTIFIER arc has a leading 0x80 octet');
    }
    // 0x80 inside an arc (not leading) is fine: 81 80 00 = 16384
    expect(decodeOid(h('2a 81 80 00'))).toBe('1.2.16384');
  });

  it('rejects empty, unterminated and oversized OIDs', () => {
    expect(derError(() => decodeOid(new Uint8Array())).message).toBe('empty OBJECT IDENTIFIER');
    expect(derError(() => decodeOid(h('2a 86'))).message).toBe('OBJECT IDENTIFIER ends inside an arc');
    expect(derError(() => decodeOid(h('86'))).message).toBe('OBJECT IDENTIFIER ends inside an arc');
    expect(derError(() => decodeOid(h('2a ff ff ff ff ff ff ff ff 7f'))).message).toBe(
      'OBJECT IDENTIFIER arc too large',
    );
  });
});

/** A DER time element over its ASCII text. */
function timeElement(tag: number, text: string): { bytes: Uint8Array; el: DerElement } {
  const bytes = new Uint8Array([tag, text.length, ...utf8(text)]);
  return { bytes, el: readElement(bytes, 0) };
}
const utc = (text: string): number => {
  const { bytes, el } = timeElement(TAG.UTC_TIME, text);
  return decodeTime(bytes, el);
};
const gen = (text: string): number => {
  const { bytes, el } = timeElement(TAG.GENERALIZED_TIME, text);
  return decodeTime(bytes, el);
};

describe('decodeTime', () => {
  it('UTCTime: YY ≥ 50 is 19YY, YY < 50 is 20YY (RFC 5280 §4.1.2.5.1)', () => {
    expect(utc('491231235959Z')).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(utc('500101000000Z')).toBe(Date.UTC(1950, 0, 1));
    expect(utc('000101000000Z')).toBe(Date.UTC(2000, 0, 1));
    expect(utc('991231235959Z')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
    expect(utc('130406120000Z')).toBe(Date.UTC(2013, 3, 6, 12));
  });

  it('GeneralizedTime', () => {
    expect(gen('20500101000000Z')).toBe(Date.UTC(2050, 0, 1));
    expect(gen('19491231235959Z')).toBe(Date.UTC(1949, 11, 31, 23, 59, 59));
    expect(gen('99991231235959Z')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(gen('20000229000000Z')).toBe(Date.UTC(2000, 1, 29));
  });

  it('GeneralizedTime years 0000-0099 are not read as 1900-1999', () => {
    // Date.UTC maps years 0..99 to 1900..1999; year 0050 must not become 1950.
    const year50 = new Date(0);
    year50.setUTCFullYear(50, 0, 1);
    let value: number | undefined;
    try {
      value = gen('00500101000000Z');
    } catch (e) {
      expect(e).toBeInstanceOf(DerError); // refusing such a year is also acceptable
      return;
    }
    expect(new Date(value).toISOString()).toBe(year50.toISOString());
  });

  it('rejects impossible dates and times', () => {
    const badUtc = [
      '130230000000Z', // Feb 30
      '130229000000Z', // Feb 29 in a non-leap year
      '130431000000Z', // Apr 31
      '131301000000Z', // month 13
      '130001000000Z', // month 0
      '130100000000Z', // day 0
      '130132000000Z', // day 32
      '130101240000Z', // hour 24
      '130101006000Z', // minute 60
      '130101000060Z', // second 60
    ];
    for (const text of badUtc) expect(() => utc(text), text).toThrow(`time "${text}" is not a valid date`);
    expect(utc('120229000000Z')).toBe(Date.UTC(2012, 1, 29));
    for (const text of ['21000229000000Z', '20130230000000Z', '20131301000000Z']) {
      expect(() => gen(text), text).toThrow(DerError);
    }
  });

  it('rejects other forms: no seconds, fractions, offsets, missing Z, wrong tag', () => {
    for (const text of [
      '1301010000Z',
      '130101000000',
      '130101000000+0000',
      '1301010000000Z',
      '13010100000aZ',
      '130101000000z',
      ' 30101000000Z',
    ]) {
      expect(() => utc(text), text).toThrow(/UTCTime ".*" is not YYMMDDHHMMSSZ/);
    }
    for (const text of ['20130101000000.5Z', '201301010000Z', '130101000000Z', '20130101000000+0100']) {
      expect(() => gen(text), text).toThrow(/GeneralizedTime ".*" is not YYYYMMDDHHMMSSZ/);
    }
    const { bytes, el } = timeElement(TAG.OCTET_STRING, '130101000000Z');
    expect(() => decodeTime(bytes, el)).toThrow('expected a time, found tag 0x04');
  });
});
