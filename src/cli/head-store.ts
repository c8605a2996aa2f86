/** The CLI's tree-head store: one JSON file per log in `<state dir>/tree-heads/`, written atomically. */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeadStore, StoredHead } from '../audit/tree-heads.js';
import { InputError } from './errors.js';
import { writeFileAtomic } from './exclusive-write.js';

const fileName = (logId: string) => `${logId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.json`;

export class FileHeadStore implements HeadStore {
  constructor(private readonly dir: string) {}

  async load(logId: string): Promise<StoredHead[]> {
    const path = join(this.dir, 'tree-heads', fileName(logId));
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as { logId?: string; heads?: StoredHead[] };
      if (parsed.logId !== logId || !Array.isArray(parsed.heads)) throw new Error('not a tree-head file for this log');
      return parsed.heads;
    } catch (e) {
      // The heads are evidence: never overwrite a file that cannot be read.
      throw new InputError(`${path}: cannot read the stored tree heads (${(e as Error).message}); move it aside to start afresh`);
    }
  }

  async save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    const dir = join(this.dir, 'tree-heads');
    await mkdir(dir, { recursive: true });
    const path = join(dir, fileName(logId));
    await writeFileAtomic(path, `${JSON.stringify({ logId, heads }, null, 2)}\n`);
  }
}
