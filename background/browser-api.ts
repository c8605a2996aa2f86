/**
 * The thin interface between the worker's logic and the browser: storage, the action badge and
 * notifications. The worker's state handling is written against it, so unit tests run it with
 * an in-memory implementation (test/support/memory-browser.ts) and the extension with the real
 * APIs (browser-impl.ts).
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface Badge {
  readonly text: string;
  /** CSS colour. */
  readonly color: string;
  readonly title: string;
}

export interface BrowserApi {
  /** storage.session: survives the worker being stopped, not the browser session. */
  readonly session: KeyValueStore;
  /** storage.local: settings, the fetched log list, what was warned about. */
  readonly local: KeyValueStore;
  setBadge(tabId: number, badge: Badge): Promise<void>;
  notify(id: string, title: string, message: string): Promise<void>;
  now(): number;
}
