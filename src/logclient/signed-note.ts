/**
 * Parsing signed notes (c2sp.org/signed-note v1.0.0, "Format") strictly, before any signature is
 * checked: UTF-8, no ASCII control character but newline (so no CR: lines end in "\n" only), the
 * text ending in a newline, then a blank line, then one or more lines
 *   em dash (U+2014), space, key name, space, base64(4-byte key ID ‖ signature), newline.
 * Key names are non-empty, without Unicode spaces or "+" ("Format"). Which lines are verified is
 * the caller's business (signed-note, "Signatures": lines of unknown keys are ignored there, not here).
 * Every refusal is a CheckpointError naming the line and what is wrong.
 */
import { fromBase64, utf8, type Bytes } from '../bytes.js';

/** A signed note or checkpoint that is malformed, or whose signatures do not verify. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface NoteSignature {
  /** The key name. */
  readonly name: string;
  /** The 4-byte key ID. */
  readonly keyId: Bytes;
  /** The signature proper, after the key ID. */
  readonly signature: Bytes;
}

export interface SignedNote {
  /** The note text, ending in its final newline (without the separating blank line). */
  readonly text: string;
  /** Every signature line, in the note's order (repeated lines included). */
  readonly signatures: readonly NoteSignature[];
}

/**
 * signed-note: "Verifiers SHOULD apply a maximum limit to the number of signatures in a note ...
 * but MUST accept at least up to 16". ctlens accepts 100, as Go's golang.org/x/mod/sumdb/note
 * does, and refuses a note with more (it is not parsed further).
 */
const MAX_SIGNATURES = 100;
/**
 * The longest signature line accepted, in characters after the em dash: signed-note reminds that
 * "post-quantum signatures can be up to nearly 5kB"; 5 kB with its key ID is ~6,700 base64
 * characters, and an ML-DSA-44 cosignature line (tlog-cosignature: 4 + 8 + 2,420 bytes) ~3,250.
 */
const MAX_LINE_CHARS = 8192;
/** The whole note, in bytes: the signature lines' bound, 100 of them, with room for the text. */
const MAX_NOTE_BYTES = 1 << 20;

/** Unicode White_Space (what Go's unicode.IsSpace means by a space), and "+". */
const NAME_FORBIDDEN = /[\p{White_Space}+]/u;
/** A lone UTF-16 surrogate: a string that no UTF-8 encodes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/** signed-note, "Format". Throws CheckpointError naming what is wrong. */
export function parseSignedNote(note: Bytes | string): SignedNote {
  const text = noteText(note);
  // "MUST NOT contain any ASCII control characters (those below U+0020) other than newline."
  const control = CONTROL.exec(text);
  if (control) {
    const line = text.slice(0, control.index).split('\n').length;
    const crlf = control[0] === '\r' ? ' (lines end in a newline only, not CR LF)' : '';
    const what = `the control character ${codePoint(control[0])} on line ${line}${crlf}`;
    throw new CheckpointError(`the note contains ${what}`);
  }
  if (!text.endsWith('\n')) throw new CheckpointError('the note does not end in a newline');
  // "the text is separated from the signatures by the last empty line in the note."
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new CheckpointError('the note has no blank line before its signatures');
  const block = text.slice(split + 2);
  if (block === '') throw new CheckpointError('the note has no signature lines after its last blank line');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    throw new CheckpointError(`the note has ${lines.length} signature lines, more than the ${MAX_SIGNATURES} accepted`);
  }
  return { text: text.slice(0, split + 1), signatures: lines.map((line, i) => signatureLine(line, i + 1)) };
}

function noteText(note: Bytes | string): string {
  if (typeof note === 'string') {
    if (LONE_SURROGATE.test(note)) throw new CheckpointError('the note is not UTF-8 (a lone surrogate)');
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (note.length * 3 > MAX_NOTE_BYTES && utf8(note).length > MAX_NOTE_BYTES) {
      throw new CheckpointError(`the note is more than the ${MAX_NOTE_BYTES} bytes accepted`);
    }
    return note;
  }
  if (note.length > MAX_NOTE_BYTES) {
    throw new CheckpointError(`the note is ${note.length} bytes, more than the ${MAX_NOTE_BYTES} accepted`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    throw new CheckpointError('the note is not UTF-8');
  }
}

/** One line of the signature block: `— <key name> base64(key ID ‖ signature)`. */
function signatureLine(line: string, n: number): NoteSignature {
  const at = `signature line ${n}`;
  if (!line.startsWith('\u2014 ')) {
    const empty = line === '' ? ' (an empty line among the signatures)' : '';
    throw new CheckpointError(`${at} does not start with "\u2014 " (em dash, space)${empty}`);
  }
  if (line.length - 2 > MAX_LINE_CHARS) {
    throw new CheckpointError(`${at} is ${line.length - 2} characters long, more than the ${MAX_LINE_CHARS} accepted`);
  }
  const rest = line.slice(2);
  const space = rest.indexOf(' ');
  if (space < 0) throw new CheckpointError(`${at} has no space between the key name and the signature`);
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  if (name === '') throw new CheckpointError(`${at}: the key name is empty`);
  const forbidden = NAME_FORBIDDEN.exec(name);
  if (forbidden) {
    const what = forbidden[0] === '+' ? '"+"' : `the Unicode space ${codePoint(forbidden[0])}`;
    throw new CheckpointError(`${at}: the key name contains ${what}, which key names must not`);
  }
  if (base64 === '') throw new CheckpointError(`${at}: the signature is empty`);
  let bytes: Bytes;
  try {
    bytes = fromBase64(base64);
  } catch (e) {
    throw new CheckpointError(`${at}: the signature is not base64 (RFC 4648 §4): ${(e as Error).message}`);
  }
  if (bytes.length < 5) {
    throw new CheckpointError(`${at}: the signature is ${bytes.length} bytes, too short for a key ID and a signature`);
  }
  return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
}
