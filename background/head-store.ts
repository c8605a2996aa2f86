/**
 * The tree heads seen per log, in storage.local ("heads:<log id>"), for consistency and split-view
 * checks; and the split views caught, both signed heads each ("split-views:<log id>"), which
 * outlive the worker and a browser restart. A stored value that does not read back as evidence
 * is refused (StoredRecordError), never overwritten.
 */
import { parseSplitViews, parseStoredHeads } from '../src/inclusion/stored-records.js';
import type { HeadStore, SplitViewAlert, StoredHead } from '../src/inclusion/tree-heads.js';
import type { KeyValueStore } from './browser-api.js';

export class StorageHeadStore implements HeadStore {
  constructor(private readonly local: KeyValueStore) {}

  async load(logId: string): Promise<StoredHead[]> {
    const key = `heads:${logId}`;
    const heads = await this.local.get<unknown>(key);
    return heads === undefined ? [] : parseStoredHeads(heads, `storage.local ${key}`);
  }

  save(logId: string, heads: readonly StoredHead[]): Promise<void> {
    return this.local.set(`heads:${logId}`, heads);
  }

  async loadSplitViews(logId: string): Promise<SplitViewAlert[]> {
    const key = `split-views:${logId}`;
    const alerts = await this.local.get<unknown>(key);
    return alerts === undefined ? [] : parseSplitViews(alerts, logId, `storage.local ${key}`);
  }

  saveSplitViews(logId: string, alerts: readonly SplitViewAlert[]): Promise<void> {
    return this.local.set(`split-views:${logId}`, alerts);
  }
}
