/**
 * Verdicts by certificate chain, so a revisit costs nothing: in memory, and in storage.session so
 * a restarted worker keeps them (one key per chain, plus a small index for eviction).
 *
 * A verdict is reused only when everything that decided it is the same (`VerdictKey.context`:
 * the digest of every log list and key in use, the evaluation day, the trust the settings give
 * the root), never by a counter a restarted worker would start again; and for an hour at most
 * (SCT timestamps and the log list's age are judged at a time). Each chain has one slot: a
 * verdict decided otherwise replaces the old one instead of sitting beside it.
 */
import { sha256, toHex, concatBytes, type Bytes } from '../src/bytes.js';
import type { Report } from '../src/report.js';
import type { KeyValueStore } from './browser-api.js';

const VERDICT_TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 200;
const INDEX_KEY = 'verdicts:index';
const entryKey = (slot: string) => `verdict:${slot}`;

export interface VerdictKey {
  /** SHA-256 (hex) of the chain's bytes and the SCTs delivered beside it: what was checked. */
  readonly slot: string;
  /** What decided the verdict; a cached verdict with another context is not reused. */
  readonly context: string;
}

interface Entry {
  readonly context: string;
  readonly report: Report;
  readonly at: number;
}

export class VerdictCache {
  private readonly memory = new Map<string, Entry>();
  /** Slots stored in storage.session, oldest first. */
  private index: Promise<string[]> | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /** The cache key: the chain's bytes, the SCTs delivered beside it, and what the verdict depends on. */
  static key(chain: readonly Bytes[], delivered: readonly Bytes[], context: string): VerdictKey {
    const parts = [...chain, new Uint8Array([0]), ...delivered];
    return { slot: toHex(sha256(concatBytes(...parts))), context };
  }

  /** Reads the index, so later misses cost no storage read (and storage is warm). */
  async warmUp(): Promise<void> {
    await this.loadIndex();
  }

  async get(key: VerdictKey): Promise<Report | undefined> {
    let entry = this.memory.get(key.slot);
    if (!entry && (await this.loadIndex()).includes(key.slot)) {
      entry = await this.store.get<Entry>(entryKey(key.slot)); // kept by an earlier run of the worker
      if (entry) this.memory.set(key.slot, entry);
    }
    if (!entry || entry.context !== key.context) return undefined;
    if (this.now() - entry.at > VERDICT_TTL_MS) {
      this.memory.delete(key.slot);
      return undefined;
    }
    return entry.report;
  }

  async set(key: VerdictKey, report: Report): Promise<void> {
    const before = this.memory.get(key.slot);
    const same = before?.context === key.context && before.report.evaluatedAt === report.evaluatedAt;
    const entry: Entry = { context: key.context, report, at: same ? before.at : this.now() };
    this.memory.set(key.slot, entry);
    const index = await this.loadIndex();
    const at = index.indexOf(key.slot);
    if (at >= 0) index.splice(at, 1);
    index.push(key.slot);
    const evicted = index.splice(0, Math.max(0, index.length - MAX_ENTRIES));
    for (const old of evicted) this.memory.delete(old);
    // Persistence is for a restarted worker; the verdict does not wait for it.
    const writes = [
      this.store.set(entryKey(key.slot), entry),
      this.store.set(INDEX_KEY, [...index]),
      ...evicted.map((old) => this.store.remove(entryKey(old))),
    ];
    this.pending = Promise.all(writes).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Resolves when what set() wrote has reached storage (tests, shutdown). */
  flushed(): Promise<void> {
    return this.pending;
  }
  private pending: Promise<void> = Promise.resolve();

  private loadIndex(): Promise<string[]> {
    this.index ??= this.store
      .get<unknown>(INDEX_KEY)
      .then((saved) => (Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string') : []));
    return this.index;
  }
}
