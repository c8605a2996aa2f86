/** The tree heads seen per log, in storage.local ("heads:<log id>"), for consistency and split-view checks. */
import type { HeadStore, StoredHead } from '../src/audit/tree-heads.js';
import type { KeyValueStore } from './browser-api.js';

export class StorageHeadStore implements HeadStore {
  constructor(private readonly local: KeyValueStore) {}

  async load(logId: string): Promise<StoredHead[]> {
    const heads = await this.local.get<StoredHead[]>(`heads:${logId}`);
    return Array.isArray(heads) ? heads : [];
  }

  save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    return this.local.set(`heads:${logId}`, heads);
  }
}
