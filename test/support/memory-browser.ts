/**
 * An in-memory BrowserApi for the worker's unit tests: storage areas that keep what was set
 * (structured-cloned, as the browser stores it), the last badge per tab, the notifications shown,
 * and a clock the test moves. The worker's logic under test is real; only the browser is replaced.
 */
import type { Badge, BrowserApi, KeyValueStore } from '../../background/browser-api.js';

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return this.data.has(key) ? (structuredClone(this.data.get(key)) as T) : undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

export class MemoryBrowser implements BrowserApi {
  readonly session = new MemoryStore();
  readonly local = new MemoryStore();
  readonly badges = new Map<number, Badge>();
  /** Every badge painted, in order (each costs the real browser calls). */
  readonly painted: { readonly tabId: number; readonly text: string }[] = [];
  readonly notifications: { id: string; title: string; message: string }[] = [];
  time = Date.UTC(2026, 4, 2, 12);

  async setBadge(tabId: number, badge: Badge): Promise<void> {
    this.badges.set(tabId, badge);
    this.painted.push({ tabId, text: badge.text });
  }
  async notify(id: string, title: string, message: string): Promise<void> {
    this.notifications.push({ id, title, message });
  }
  now = (): number => this.time;

  /** A browser restart of the worker: same storage, new in-memory state elsewhere. */
  restartKeepingSession(): MemoryBrowser {
    const next = new MemoryBrowser();
    for (const [k, v] of this.session.data) next.session.data.set(k, v);
    for (const [k, v] of this.local.data) next.local.data.set(k, v);
    next.time = this.time;
    return next;
  }
}
