/**
 * The one way the CLI writes to the terminal. Certificate names, log list entries, answers from
 * servers and logs, and error messages that quote them are someone else's text: a control
 * character in it could move the cursor and overwrite report lines, hide text (SGR 8, ECMA-48
 * §8.3.117), set the clipboard (OSC 52) or plant a link (OSC 8); a bidi control could reorder
 * what is shown (UAX #9; "Trojan Source", CVE-2021-42574). So every such character in every
 * string is shown escaped (`\x1b`, `\u202e`), and the only escape sequences and line breaks
 * written are ctlens's own: styles added after escaping, and the breaks between lines.
 */

/**
 * What is escaped: Unicode Cc (C0 including tab, CR and LF; DEL; C1), Cf (format characters:
 * the bidi controls U+061C, U+200E/F, U+202A–E, U+2066–9, zero-width characters, soft hyphen,
 * tags), Cs (lone surrogates) and Zl/Zp (U+2028/9). Other non-ASCII (IDN U-labels, accented
 * names) is shown as is.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** `text` with each unsafe character written as `\x1b` (up to U+00FF), `\u202e`, or `\u{e0001}`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const cp = c.codePointAt(0)!;
    return cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\u{${cp.toString(16)}}`;
  });
}

/** Text for the terminal: strings (always escaped when written), styled runs, and sequences of both. */
export type Text = string | Styled | readonly Text[];

/** A run shown with an SGR style (ECMA-48 §8.3.117) on a colour terminal, plain otherwise. */
class Styled {
  constructor(
    readonly sgr: number,
    readonly text: Text,
  ) {}

  /** A styled run turned into a string would lose its style: build lines with span`…` instead. */
  toString(): never {
    throw new TypeError('a styled run used as a string: build the line with span`…`');
  }
}

export const bold = (text: Text): Styled => new Styled(1, text);
export const dim = (text: Text): Styled => new Styled(2, text);
export const good = (text: Text): Styled => new Styled(32, text);
export const bad = (text: Text): Styled => new Styled(31, text);
export const warn = (text: Text): Styled => new Styled(33, text);

/** A template that keeps styled runs as runs: span`${bold('SCTs')}  ${count} embedded`. */
export function span(strings: TemplateStringsArray, ...values: readonly (Text | number)[]): Text[] {
  const out: Text[] = [strings[0]!];
  for (const [i, value] of values.entries())
    out.push(typeof value === 'number' ? String(value) : value, strings[i + 1]!);
  return out;
}

/** The characters a line takes once written (what column widths are measured in). */
export const shownLength = (text: string): number => escapeControls(text).length;

function render(text: Text, color: boolean, outer: readonly number[]): string {
  if (typeof text === 'string') return escapeControls(text);
  if (text instanceof Styled) {
    if (!color) return render(text.text, false, outer);
    const restore = outer.length ? `\u001b[${outer.join(';')}m` : '';
    return `\u001b[${text.sgr}m${render(text.text, true, [...outer, text.sgr])}\u001b[0m${restore}`;
  }
  return (text as readonly Text[]).map((part) => render(part, color, outer)).join('');
}

/**
 * JSON (RFC 8259) with every unsafe character written as a `\u` escape (§7; a surrogate pair
 * beyond the BMP): the same value for any parser, nothing raw on the terminal. JSON.stringify
 * already escapes C0, so the only raw line breaks left are its own indentation.
 */
function jsonText(value: unknown, indent?: number): string {
  const units = (c: string) => Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4)}`).join('');
  return JSON.stringify(value, null, indent).replace(UNSAFE, (c) => (c === '\n' ? c : units(c)));
}

/** Where the CLI's output goes: raw streams, only ever written through a Terminal. */
interface Streams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface Terminal {
  /** Lines on stdout, each escaped, styled when `color`. */
  lines(lines: readonly Text[]): void;
  /** One value as indented JSON on stdout. */
  json(value: unknown): void;
  /** One value as JSON on one line of stdout (JSON Lines: no line break inside). */
  jsonLine(value: unknown): void;
  /** One line on stderr (errors, warnings, progress), escaped. */
  error(line: Text): void;
}

export function terminal(streams: Streams, color: boolean): Terminal {
  return {
    lines: (lines) => streams.stdout(lines.map((line) => `${render(line, color, [])}\n`).join('')),
    json: (value) => streams.stdout(`${jsonText(value, 2)}\n`),
    jsonLine: (value) => streams.stdout(`${jsonText(value)}\n`),
    error: (line) => streams.stderr(`${render(line, false, [])}\n`),
  };
}
