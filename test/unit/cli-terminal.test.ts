/** The CLI's one terminal writer (src/cli/terminal.ts): what it escapes, what it keeps, its styles and its JSON. */
import { describe, expect, it } from 'vitest';
import { bad, bold, dim, escapeControls, span, terminal } from '../../src/cli/terminal.js';

function capture(color: boolean) {
  const out = { stdout: '', stderr: '' };
  const term = terminal({ stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) }, color);
  return { out, term };
}

describe('escapeControls', () => {
  it.each([
    ['ESC, CR, LF, tab, NUL', '\u001b[8m\r\n\t\u0000', '\\x1b[8m\\x0d\\x0a\\x09\\x00'],
    ['DEL and C1 (CSI, NEL, OSC)', '\u007f\u009b\u0085\u009d', '\\x7f\\x9b\\x85\\x9d'],
    [
      'bidi controls',
      '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069',
      '\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069',
    ],
    ['zero-width and invisible format', '\u200b\u200d\u2060\ufeff\u00ad', '\\u200b\\u200d\\u2060\\ufeff\\xad'],
    ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
    ['a tag character beyond the BMP', '\u{e0001}', '\\u{e0001}'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('%s', (_, input, shown) => {
    expect(escapeControls(input)).toBe(shown);
  });

  it('keeps legitimate non-ASCII: IDN U-labels, accented and CJK names, symbols', () => {
    const text = 'CN=bücher.example,O=Société Générale,L=東京 → … ✓ ٣';
    expect(escapeControls(text)).toBe(text);
  });
});

describe('terminal', () => {
  it('escapes every string, including in styled runs, and writes only its own SGR sequences', () => {
    const { out, term } = capture(true);
    const hostile = 'x\u001b[0m\u001b]52;c;AAAA\u0007\r\ny';
    term.lines([span`${bold('Subject')} ${hostile} ${bad(span`verdict ${dim(hostile)}`)}`]);
    expect(out.stdout).toBe(
      '\u001b[1mSubject\u001b[0m x\\x1b[0m\\x1b]52;c;AAAA\\x07\\x0d\\x0ay ' +
        '\u001b[31mverdict \u001b[2mx\\x1b[0m\\x1b]52;c;AAAA\\x07\\x0d\\x0ay\u001b[0m\u001b[31m\u001b[0m\n',
    );
  });

  it('without colour, no escape sequence at all; errors are one line on stderr', () => {
    const { out, term } = capture(false);
    term.lines(['a', bold('b'), span`c ${bad('d')}`]);
    term.error('ctlens: x\ny\u202e');
    expect(out).toEqual({ stdout: 'a\nb\nc d\n', stderr: 'ctlens: x\\x0ay\\u202e\n' });
  });

  it('a styled run used as a plain string throws instead of losing its style', () => {
    expect(() => `${bold('x')}`).toThrow(TypeError);
  });

  it('JSON: the same value for a parser, no unsafe character raw', () => {
    const { out, term } = capture(false);
    const value = { s: 'a\u001b\u007f\u009b\u202e\u2028\u{e0001}\ud800é東' };
    term.json(value);
    expect(out.stdout).toBe('{\n  "s": "a\\u001b\\u007f\\u009b\\u202e\\u2028\\udb40\\udc01\\ud800é東"\n}\n');
    expect(JSON.parse(out.stdout)).toEqual(value);
  });
});
