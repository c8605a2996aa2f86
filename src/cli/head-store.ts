/**
 * The CLI's tree-head store: one JSON file per log in `<state dir>/tree-heads/`, written atomically,
 * `<log>.json` for the heads and `<log>.split-views.json` for the split views caught (both signed
 * heads each). The files are evidence: one that exists but cannot be read (or does not hold this
 * log's records) is an InputError and is never overwritten; only a missing file starts afresh.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSplitViews, parseStoredHeads } from '../inclusion/stored-records.js';
import type { HeadStore, SplitViewAlert, StoredHead } from '../inclusion/tree-heads.js';
import { InputError } from './errors.js';
import { writeFileAtomic } from './exclusive-write.js';

/** The log id in a file name (base64url, unpadded: no '/' and no '.'), then `suffix`. */
const fileName = (logId: string, suffix = '.json') =>
  `${logId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}${suffix}`;
const SPLIT_VIEWS = '.split-views.json';

export class FileHeadStore implements HeadStore {
  constructor(private readonly dir: string) {}

  async load(logId: string): Promise<StoredHead[]> {
    const path = join(this.dir, 'tree-heads', fileName(logId));
    return this.read(path, logId, 'tree heads', (parsed) => parseStoredHeads(parsed.heads, 'heads'));
  }

  async loadSplitViews(logId: string): Promise<SplitViewAlert[]> {
    const path = join(this.dir, 'tree-heads', fileName(logId, SPLIT_VIEWS));
    return this.read(path, logId, 'split views', (parsed) => parseSplitViews(parsed.splitViews, logId, 'splitViews'));
  }

  async saveSplitViews(logId: string, alerts: readonly SplitViewAlert[]): Promise<void> {
    const dir = join(this.dir, 'tree-heads');
    await mkdir(dir, { recursive: true });
    const text = `${JSON.stringify({ logId, splitViews: alerts }, null, 2)}\n`;
    await writeFileAtomic(join(dir, fileName(logId, SPLIT_VIEWS)), text);
  }

  /** A `{ logId, … }` record file: [] when there is none; an InputError when it cannot be read as this log's. */
  private async read<T>(
    path: string,
    logId: string,
    what: string,
    parse: (record: Record<string, unknown>) => T[],
  ): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new InputError(`${path}: cannot read the stored ${what} (${(e as Error).message})`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || (parsed as { logId?: unknown }).logId !== logId) {
        throw new Error(`not a ${what} file for this log`);
      }
      return parse(parsed as Record<string, unknown>);
    } catch (e) {
      // The records are evidence: never overwrite a file that cannot be read.
      const problem = (e as Error).message;
      throw new InputError(`${path}: cannot read the stored ${what} (${problem}); move it aside to start afresh`);
    }
  }

  async save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    const dir = join(this.dir, 'tree-heads');
    await mkdir(dir, { recursive: true });
    const path = join(dir, fileName(logId));
    await writeFileAtomic(path, `${JSON.stringify({ logId, heads }, null, 2)}\n`);
  }
}
