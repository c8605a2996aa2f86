/** The names of a `--files-from` list (src/cli/file-list.ts), read as chunks arrive. */
import { expect, it } from 'vitest';
import { listedFiles } from '../../src/cli/file-list.js';

async function entries(...chunks: (string | Uint8Array)[]) {
  async function* source() {
    for (const c of chunks) yield typeof c === 'string' ? new TextEncoder().encode(c) : c;
  }
  const out = [];
  for await (const entry of listedFiles(source(), 'list')) out.push(entry);
  return out;
}

it('one name a line, LF or CRLF, blank lines skipped, the last without its LF, split across chunks', async () => {
  const listed = await entries('a.pem\r\n\nb', '.pem\n\r\n', 'c d.pem');
  expect(listed).toEqual([{ file: 'a.pem' }, { file: 'b.pem' }, { file: 'c d.pem' }]);
});

it('a line not UTF-8, or longer than any path, is an entry with its error; the next lines count', async () => {
  const long = 'x'.repeat(5000);
  expect(await entries(Uint8Array.of(0xc3, 0x28, 0x0a), `${long}${long}\nok.pem\n`)).toEqual([
    { file: 'list, line 1', error: 'list, line 1: not UTF-8, not a file name' },
    { file: 'list, line 2', error: 'list, line 2: longer than 8192 bytes, not a file name' },
    { file: 'ok.pem' },
  ]);
});

it('a source that fails: an input error naming the list', async () => {
  async function* failing() {
    yield new TextEncoder().encode('a.pem\n');
    throw Object.assign(new Error('boom'), { code: 'EACCES' });
  }
  const seen: string[] = [];
  await expect(
    (async () => {
      for await (const entry of listedFiles(failing(), 'names.txt')) seen.push(entry.file);
    })(),
  ).rejects.toThrow('names.txt: cannot read the list of files: permission denied');
  expect(seen).toEqual(['a.pem']);
});
