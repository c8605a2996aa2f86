/**
 * The names in a `--files-from` list: one file name a line (LF or CRLF), blank lines skipped,
 * read as the list arrives, so a batch's first reports are out before a long list has ended.
 * A line that is not UTF-8, or longer than any path can be, names no file reliably: it becomes an
 * entry with its error, and the batch goes on.
 */
import { createReadStream } from 'node:fs';
import { InputError } from './errors.js';
import { readFailure } from './inputs.js';

export interface ListedFile {
  readonly file: string;
  /** Why the line names no file. */
  readonly error?: string;
}

/** Longer than Linux's PATH_MAX (4096) and macOS's (1024). */
const MAX_LINE_BYTES = 8192;

/** The list in file `path`, or standard input for `-`. Precondition: `stdin` given when `path` is `-`. */
export function fileList(path: string, stdin?: () => AsyncIterable<Uint8Array>): AsyncGenerator<ListedFile> {
  if (path === '-' && !stdin) throw new InputError('--files-from -: no standard input');
  const source = path === '-' ? stdin!() : createReadStream(path);
  return listedFiles(source, path === '-' ? 'standard input' : path);
}

/** The entries of a list read from `source` (`name` says where it comes from, in errors). */
export async function* listedFiles(source: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<ListedFile> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  let tooLong = false;
  const entry = (): ListedFile | undefined => {
    lineNumber++;
    const bytes = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const where = `${name}, line ${lineNumber}`;
    if (tooLong) {
      tooLong = false;
      return { file: where, error: `${where}: longer than ${MAX_LINE_BYTES} bytes, not a file name` };
    }
    let text: string;
    try {
      text = decoder.decode(bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes);
    } catch {
      return { file: where, error: `${where}: not UTF-8, not a file name` };
    }
    return text === '' ? undefined : { file: text };
  };
  try {
    for await (const chunk of source) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        keep(chunk.subarray(start, nl));
        const listed = entry();
        if (listed) yield listed;
        start = nl + 1;
      }
      keep(chunk.subarray(start));
    }
  } catch (e) {
    throw new InputError(`${name}: cannot read the list of files: ${readFailure(e)}`);
  }
  if (pendingBytes || tooLong) {
    const listed = entry();
    if (listed) yield listed;
  }

  function keep(part: Uint8Array): void {
    if (tooLong || part.length === 0) return;
    if (pendingBytes + part.length > MAX_LINE_BYTES) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  }
}
