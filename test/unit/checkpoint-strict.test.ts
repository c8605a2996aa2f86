/**
 * Strict parsing of signed notes and checkpoints (c2sp.org/signed-note "Format",
 * c2sp.org/tlog-checkpoint "Note text", static-ct-api "Checkpoints"): each rule of the specs, each
 * refusal a CheckpointError naming what is wrong; nothing malformed is ever opened. The notes are
 * written field by field (test/support/checkpoint-fields.ts) and the specs' own examples.
 */
import { describe, expect, it } from 'vitest';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import {
  CheckpointError,
  openCheckpoint,
  parseCheckpointBody,
  parseRfc6962NoteSignature,
  parseSignedNote,
} from '../../src/logclient/checkpoint.js';
import { readFixture } from '../support/fixtures.js';
import { checkpointText, greaseLine, noteLine, noteLog, rfc6962Line } from '../support/checkpoint-fields.js';

const ORIGIN = 'ct.example.com/2026h2';
const head = { size: 3, root: new Uint8Array(32).fill(7), timestamp: Date.UTC(2026, 10, 21) };
const text = checkpointText(ORIGIN, head.size, head.root);
const log = noteLog();
const good = `${text}\n${rfc6962Line(log, ORIGIN, head)}${greaseLine('grease.invalid')}`;
const refuses = (note: string | Uint8Array, message: string | RegExp) => {
  const shown = JSON.stringify(typeof note === 'string' ? note.slice(0, 200) : '');
  expect(() => parseSignedNote(note), shown).toThrow(CheckpointError);
  expect(() => parseSignedNote(note)).toThrow(message);
};

describe('signed-note "Format": lines, characters, the blank line', () => {
  it("the specs' examples parse: signed-note, tlog-checkpoint, tlog-cosignature", () => {
    const poemText = 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n';
    const quasimodo =
      `${poemText}\n\u2014 quasimodo.example/salvatore ` +
      'NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const poem = parseSignedNote(quasimodo);
    // The text may hold empty lines: the last blank line separates it from the signatures.
    expect(poem.text).toBe(poemText);
    expect(poem.signatures.map((s) => [s.name, Buffer.from(s.keyId).toString('hex'), s.signature.length])).toEqual([
      ['quasimodo.example/salvatore', '367ba04b', 64],
    ]);
    const cosigned =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '\u2014 example.com/behind-the-sofa ' +
      'Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
      '\u2014 witness.example.com/w1 ' +
      'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
    const note = parseSignedNote(cosigned);
    expect(note.signatures.map((s) => s.name)).toEqual(['example.com/behind-the-sofa', 'witness.example.com/w1']);
    // tlog-cosignature's timestamped_signature: u64 1679315147 ‖ 64 bytes.
    expect(Buffer.from(note.signatures[1]!.signature).readBigUInt64BE(0)).toBe(1679315147n);
    const checkpoint = { origin: 'example.com/behind-the-sofa', treeSize: 20852163, extensions: [] };
    expect(parseCheckpointBody(note.text)).toMatchObject(checkpoint);
  });

  it('an ML-DSA-44 cosignature line of 3,270 characters (a real one) is accepted', () => {
    const note = parseSignedNote(readFixture('witness/torchwood-mldsa44.checkpoint'));
    expect(note.signatures.some((s) => s.signature.length === 8 + 2420)).toBe(true);
  });

  it('newline only: CR LF, a lone CR, other control characters are refused, naming the line', () => {
    const crlf = 'the note contains the control character U+000d on line 1 (lines end in a newline only, not CR LF)';
    refuses(good.replaceAll('\n', '\r\n'), crlf);
    refuses(good.replace(`${head.size}\n`, `${head.size}\r\n`), /U\+000d on line 2/);
    refuses(`${good.slice(0, -1)}\r\n`, /U\+000d on line 6/);
    refuses(good.replace(ORIGIN, `${ORIGIN}\t`), /the control character U\+0009 on line 1$/);
    refuses(good.replace(ORIGIN, `\u0000${ORIGIN}`), /U\+0000/);
    refuses(good.replace(ORIGIN, `\u001b[31m${ORIGIN}`), /U\+001b/);
    // DEL and C1 controls are not "ASCII control characters (those below U+0020)": allowed in the text.
    const c1 = `${ORIGIN}\u007f\u0085`;
    expect(parseSignedNote(good.replace(ORIGIN, c1)).text.split('\n')[0]).toBe(c1);
  });

  it('UTF-8 only: invalid bytes, an overlong encoding, a lone surrogate', () => {
    refuses(Uint8Array.of(0xff, 0x0a), 'the note is not UTF-8');
    const overlong = Uint8Array.from([...Buffer.from(good.slice(0, 5)), 0xc0, 0xaf, ...Buffer.from(good.slice(5))]);
    refuses(overlong, 'the note is not UTF-8');
    refuses(good.replace(ORIGIN, `${ORIGIN}\ud800`), 'the note is not UTF-8 (a lone surrogate)');
    // A byte-order mark is not stripped: it stays in the origin line.
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(good)]);
    expect(parseSignedNote(bom).text.startsWith('\ufeff')).toBe(true);
  });

  it('the final newline, the blank line, at least one signature line', () => {
    refuses(good.slice(0, -1), 'the note does not end in a newline');
    refuses(good.replace('\n\n', '\n'), 'the note has no blank line before its signatures');
    refuses(`${good}\n`, 'the note has no signature lines after its last blank line');
    refuses(`${text}\n`, 'the note has no signature lines after its last blank line');
    // An empty line among the signature lines makes the lines before it part of the text.
    const split = `${text}\n${greaseLine('a.example')}\n${greaseLine('b.example')}`;
    expect(parseSignedNote(split).signatures.map((s) => s.name)).toEqual(['b.example']);
    const splitText = parseSignedNote(split).text;
    expect(() => parseCheckpointBody(splitText)).toThrow('the checkpoint has an empty extension line');
  });
});

describe('signed-note "Format": one signature line', () => {
  const line = (l: string) => `${text}\n${l}\n`;
  const sig = Buffer.alloc(20, 1).toString('base64');

  it('"— ", key name, space, base64: each part checked', () => {
    refuses(line(`-- ${ORIGIN} ${sig}`), 'signature line 1 does not start with "\u2014 " (em dash, space)');
    refuses(line(`\u2013 ${ORIGIN} ${sig}`), /signature line 1 does not start with/);
    refuses(line(`\u2014${ORIGIN} ${sig}`), /signature line 1 does not start with/);
    refuses(`${good}${`\u2014 ${ORIGIN}`}\n`, 'signature line 3 has no space between the key name and the signature');
    refuses(line(`\u2014  ${sig}`), 'signature line 1: the key name is empty');
    refuses(line(`\u2014 ${ORIGIN} `), 'signature line 1: the signature is empty');
  });

  it('key names: no Unicode spaces, no "+"', () => {
    refuses(line(`\u2014 ${ORIGIN}+1 ${sig}`), 'signature line 1: the key name contains "+", which key names must not');
    for (const space of ['\u00a0', '\u2002', '\u2028', '\u3000', '\u0085', '\u1680', '\u202f']) {
      const code = space.charCodeAt(0).toString(16).padStart(4, '0');
      refuses(line(`\u2014 a${space}b ${sig}`), `the key name contains the Unicode space U+${code}`);
    }
    // Other characters are fine: the name is not required to be a URL.
    const oid = 'oid/1.3.6.1.4.1.44363.47.1';
    expect(parseSignedNote(line(`\u2014 ${oid} ${sig}`)).signatures[0]!.name).toBe(oid);
    expect(parseSignedNote(line(`\u2014 zeuge.例え/ü ${sig}`)).signatures[0]!.name).toBe('zeuge.例え/ü');
  });

  it('standard, padded, canonical base64 (RFC 4648 §4) of at least 5 bytes', () => {
    const unpadded = sig.replace(/=+$/, '');
    refuses(line(`\u2014 ${ORIGIN} ${unpadded}`), /line 1: the signature is not base64 \(RFC 4648 §4\): .*length/);
    const urlSafe = Buffer.alloc(21, 0xfb).toString('base64url');
    refuses(line(`\u2014 ${ORIGIN} ${urlSafe}`), /not base64 .*unexpected character/);
    refuses(line(`\u2014 ${ORIGIN} ${sig.slice(0, 8)} ${sig.slice(8)}`), /line 1: the signature is not base64/);
    refuses(line(`\u2014 ${ORIGIN} AAAAAB==`), /not base64 .*non-canonical padding bits/);
    const tooShort = 'signature line 1: the signature is 4 bytes, too short for a key ID and a signature';
    refuses(line(`\u2014 ${ORIGIN} AAAAAA==`), tooShort);
    expect(parseSignedNote(line(`\u2014 ${ORIGIN} AAAAAAA=`)).signatures[0]!.signature).toEqual(Uint8Array.of(0));
  });

  it('sizes: 100 lines, 8,192 characters a line, 1 MiB a note; beyond, refused before anything else', () => {
    const grease = (n: number) => Array.from({ length: n }, () => greaseLine('grease.invalid', 32)).join('');
    expect(parseSignedNote(`${text}\n${grease(16)}`).signatures).toHaveLength(16);
    expect(parseSignedNote(`${text}\n${grease(100)}`).signatures).toHaveLength(100);
    refuses(`${text}\n${grease(101)}`, 'the note has 101 signature lines, more than the 100 accepted');
    refuses(`${text}\n${grease(5000)}`, 'the note has 5000 signature lines, more than the 100 accepted');
    const longest = `\u2014 n ${'A'.repeat(8188)}`;
    expect(parseSignedNote(line(longest)).signatures[0]!.signature.length).toBe(6137);
    refuses(line(`${longest}AAAA`), 'signature line 1 is 8194 characters long, more than the 8192 accepted');
    refuses(line(`\u2014 n ${'A'.repeat(1_000_000)}`), /signature line 1 is 1000002 characters long/);
    refuses(line(`\u2014 n ${'A'.repeat(10_000_000)}`), 'the note is more than the 1048576 bytes accepted');
    refuses(new Uint8Array((1 << 20) + 1).fill(0x41), 'the note is 1048577 bytes, more than the 1048576 accepted');
    refuses(`${'A'.repeat(1 << 20)}\n\n${greaseLine('a')}`, 'the note is more than the 1048576 bytes accepted');
  });
});

describe('tlog-checkpoint "Note text" and the RFC6962NoteSignature', () => {
  const body = (lines: string[]) => `${lines.join('\n')}\n`;
  const root = Buffer.from(head.root).toString('base64');

  it('origin, tree size, root hash: each refused precisely', () => {
    const cases: [string, string][] = [
      [body([ORIGIN, '3']), 'the checkpoint has 2 lines, expected origin, tree size and root hash'],
      [body(['', '3', root]), 'the checkpoint origin line is empty'],
      [body([ORIGIN, '03', root]), 'the tree size "03" is not a decimal number without leading zeros'],
      [body([ORIGIN, '+3', root]), 'the tree size "+3" is not'],
      [body([ORIGIN, ' 3', root]), 'the tree size " 3" is not'],
      [body([ORIGIN, '3.0', root]), 'the tree size "3.0" is not'],
      [body([ORIGIN, '', root]), 'the tree size "" is not'],
      [body([ORIGIN, '9007199254740992', root]), 'the tree size 9007199254740992 is larger than this client handles'],
      [body([ORIGIN, '3', root.slice(0, -4)]), 'the root hash is 30 bytes, expected 32'],
      [body([ORIGIN, '3', Buffer.alloc(33).toString('base64')]), 'the root hash is 33 bytes, expected 32'],
      [body([ORIGIN, '3', `${root.slice(0, -1)}`]), 'the root hash: invalid base64: length 43 is not a multiple of 4'],
      [body([ORIGIN, '3', root, '']), 'the checkpoint has an empty extension line'],
      [body([ORIGIN, '3', root]).slice(0, -1), 'the checkpoint does not end in a newline'],
    ];
    for (const [bad, message] of cases) expect(() => parseCheckpointBody(bad), bad).toThrow(message);
    expect(parseCheckpointBody(body([ORIGIN, '0', root]))).toMatchObject({ treeSize: 0 });
    // Extension lines parse (tlog-checkpoint allows them); an RFC 6962 signature does not (openCheckpoint).
    const extended = parseCheckpointBody(body([ORIGIN, '3', root, 'ext one', 'ext two']));
    expect(extended.extensions).toEqual(['ext one', 'ext two']);
    // The origin is not assumed to be a URL; a space in it means no key name can match it.
    expect(parseCheckpointBody(body(['a log with spaces', '3', root])).origin).toBe('a log with spaces');
  });

  it('RFC6962NoteSignature: uint64 timestamp, DigitallySigned, nothing after', () => {
    const ok = Buffer.concat([Buffer.alloc(8), Buffer.of(4, 3, 0, 2, 0x30, 0)]);
    expect(parseRfc6962NoteSignature(ok)).toMatchObject({ timestamp: 0 });
    const trailing = Buffer.concat([ok, Buffer.of(0)]);
    expect(() => parseRfc6962NoteSignature(trailing)).toThrow(/RFC6962NoteSignature: 1 trailing bytes/);
    const cut = ok.subarray(0, 11);
    expect(() => parseRfc6962NoteSignature(cut)).toThrow(/the log's note signature is malformed: signature/);
    expect(() => parseRfc6962NoteSignature(ok.subarray(0, 7))).toThrow(/timestamp: needs 8 bytes/);
    const late = Buffer.concat([Buffer.alloc(8, 0xff), ok.subarray(8)]);
    expect(() => parseRfc6962NoteSignature(late)).toThrow(/does not fit in 53 bits/);
  });

  it('nothing malformed is opened: every refusal above is a CheckpointError through openCheckpoint too', async () => {
    const verifier = new SignatureVerifier();
    await expect(openCheckpoint(good, log.info, ORIGIN, verifier)).resolves.toMatchObject({ treeSize: 3 });
    const bads = [
      good.replaceAll('\n', '\r\n'),
      good.slice(0, -1),
      good.replace('\u2014 grease', '\u2014 grea se'),
      good.replace('\n3\n', '\n03\n'),
    ];
    for (const bad of bads) {
      await expect(openCheckpoint(bad, log.info, ORIGIN, verifier)).rejects.toThrow(CheckpointError);
    }
  });
});

describe('lines that do not parse are refused even from unknown keys (the note is malformed)', () => {
  it('a GREASE line with bad base64 beside a good log line', () => {
    refuses(`${good}\u2014 grease.invalid not*base64\n`, 'signature line 3: the signature is not base64');
    const fiveBytes = noteLine('grease.invalid', Buffer.alloc(4), Buffer.alloc(1));
    expect(() => parseSignedNote(`${good}${fiveBytes}`)).not.toThrow();
  });
});
