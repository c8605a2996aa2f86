/**
 * Verdicts by certificate chain, so a revisit costs nothing: in memory, and in storage.session so
 * a restarted worker keeps them. A verdict is reused for an hour at most (SCT timestamps and log
 * list age are judged at a time) and never across a change of log lists or settings.
 */
import { sha256, toHex, concatBytes, type Bytes } from '../src/bytes.js';
import type { Report } from '../src/report.js';
import type { KeyValueStore } from './browser-api.js';

export const VERDICT_TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 200;
const STORE_KEY = 'verdicts';

interface Entry {
  readonly report: Report;
  readonly at: number;
}

export class VerdictCache {
  private memory: Map<string, Entry> | undefined;

  constructor(private readonly store: KeyValueStore, private readonly now: () => number) {}

  /** The cache key: the chain's bytes, the SCTs delivered beside it, and what the verdict depends on. */
  static key(chain: readonly Bytes[], delivered: readonly Bytes[], context: string): string {
    const parts = [...chain, new Uint8Array([0]), ...delivered];
    return `${toHex(sha256(concatBytes(...parts)))}|${context}`;
  }

  async get(key: string): Promise<Report | undefined> {
    const entries = await this.load();
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > VERDICT_TTL_MS) {
      entries.delete(key);
      return undefined;
    }
    entries.delete(key); // most recently used last
    entries.set(key, entry);
    return entry.report;
  }

  async set(key: string, report: Report): Promise<void> {
    const entries = await this.load();
    entries.delete(key);
    entries.set(key, { report, at: this.now() });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    await this.store.set(STORE_KEY, [...entries]);
  }

  async clear(): Promise<void> {
    this.memory = new Map();
    await this.store.remove(STORE_KEY);
  }

  private async load(): Promise<Map<string, Entry>> {
    if (!this.memory) {
      const saved = await this.store.get<[string, Entry][]>(STORE_KEY);
      this.memory ??= new Map(Array.isArray(saved) ? saved : []);
    }
    return this.memory;
  }
}
