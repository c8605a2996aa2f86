/**
 * Verdicts by certificate chain, so a revisit costs nothing: in memory, and in storage.session so
 * a restarted worker keeps them (one key per verdict, plus a small index for eviction). A verdict
 * is reused for an hour at most (SCT timestamps and log list age are judged at a time) and never
 * across a change of log lists or settings (both are part of the key).
 */
import { sha256, toHex, concatBytes, type Bytes } from '../src/bytes.js';
import type { Report } from '../src/report.js';
import type { KeyValueStore } from './browser-api.js';

export const VERDICT_TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 200;
const INDEX_KEY = 'verdicts:index';
const entryKey = (key: string) => `verdict:${key}`;

interface Entry {
  readonly report: Report;
  readonly at: number;
}

export class VerdictCache {
  private readonly memory = new Map<string, Entry>();
  /** Keys stored in storage.session, oldest first. */
  private index: Promise<string[]> | undefined;

  constructor(private readonly store: KeyValueStore, private readonly now: () => number) {}

  /** The cache key: the chain's bytes, the SCTs delivered beside it, and what the verdict depends on. */
  static key(chain: readonly Bytes[], delivered: readonly Bytes[], context: string): string {
    const parts = [...chain, new Uint8Array([0]), ...delivered];
    return `${toHex(sha256(concatBytes(...parts)))}|${context}`;
  }

  /** Reads the index, so later misses cost no storage read (and storage is warm). */
  async warmUp(): Promise<void> {
    await this.loadIndex();
  }

  async get(key: string): Promise<Report | undefined> {
    let entry = this.memory.get(key);
    if (!entry && (await this.loadIndex()).includes(key)) {
      entry = await this.store.get<Entry>(entryKey(key)); // kept by an earlier run of the worker
      if (entry) this.memory.set(key, entry);
    }
    if (!entry) return undefined;
    if (this.now() - entry.at > VERDICT_TTL_MS) {
      this.memory.delete(key);
      return undefined;
    }
    return entry.report;
  }

  async set(key: string, report: Report): Promise<void> {
    const entry = { report, at: this.memory.get(key)?.report.evaluatedAt === report.evaluatedAt ? this.memory.get(key)!.at : this.now() };
    this.memory.set(key, entry);
    const index = await this.loadIndex();
    const at = index.indexOf(key);
    if (at >= 0) index.splice(at, 1);
    index.push(key);
    const evicted = index.splice(0, Math.max(0, index.length - MAX_ENTRIES));
    for (const old of evicted) this.memory.delete(old);
    // Persistence is for a restarted worker; the verdict does not wait for it.
    this.pending = Promise.all([this.store.set(entryKey(key), entry), this.store.set(INDEX_KEY, [...index]), ...evicted.map((old) => this.store.remove(entryKey(old)))])
      .then(() => undefined, () => undefined);
  }

  /** Resolves when what set() wrote has reached storage (tests, shutdown). */
  flushed(): Promise<void> {
    return this.pending;
  }
  private pending: Promise<void> = Promise.resolve();

  private loadIndex(): Promise<string[]> {
    this.index ??= this.store.get<string[]>(INDEX_KEY).then((saved) => (Array.isArray(saved) ? saved : []));
    return this.index;
  }
}
