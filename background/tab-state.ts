/**
 * Per-tab state, kept in storage.session so it survives the MV3 worker being stopped, and reset
 * when the tab goes to another site. Every change repaints the tab's badge.
 */
import { badgeFor } from './badge.js';
import type { BrowserApi } from './browser-api.js';
import type { TabState } from './messages.js';
import { Serial } from './serial.js';

const key = (tabId: number) => `tab:${tabId}`;
/** The ids of the tabs with a state in storage.session, so a restarted worker can read them all back. */
const INDEX_KEY = 'tabs:index';

export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

export class TabStates {
  /** A mirror of what is in storage.session, so reads cost no round trip to the browser. */
  private readonly memory = new Map<number, TabState>();
  private ids: Promise<Set<number>> | undefined;
  private readonly indexWrites = new Serial();
  private warm = false;
  /** Tabs set or removed while warmUp() runs: what it reads from storage for them is older. */
  private readonly touched = new Set<number>();
  /** Each tab's count of sets and removes by this worker: a storage read that began before one is older. */
  private readonly writes = new Map<number, number>();

  constructor(private readonly api: BrowserApi) {}

  /**
   * Reads every stored tab state into the mirror (at worker start: a restarted worker then
   * knows its tabs without waiting on storage). A state this worker set meanwhile is kept.
   */
  async warmUp(): Promise<void> {
    const ids = await this.loadIds();
    await Promise.all(
      [...ids].map(async (tabId) => {
        const stored = await this.api.session.get<TabState>(key(tabId));
        if (this.touched.has(tabId) || this.memory.has(tabId)) return;
        if (stored?.tabId === tabId) this.memory.set(tabId, stored);
        else if (!stored) await this.forget(tabId); // its state is gone: the index outlived it
      }),
    );
    this.warm = true;
    this.touched.clear();
  }

  /**
   * The state without a storage read: what this worker set or saw, and after warmUp() what an
   * earlier run of the worker stored too.
   */
  peek(tabId: number): TabState | undefined {
    return this.memory.get(tabId);
  }

  /**
   * The tab's state. A storage read answers in its own time: when this worker set or removed the
   * tab's state meanwhile, that newer state is the answer and the read is dropped.
   */
  async get(tabId: number): Promise<TabState | undefined> {
    if (this.memory.has(tabId)) return this.memory.get(tabId);
    const writesBefore = this.writes.get(tabId);
    const stored = await this.api.session.get<TabState>(key(tabId));
    if (this.writes.get(tabId) !== writesBefore || this.memory.has(tabId)) return this.memory.get(tabId);
    if (stored) this.memory.set(tabId, stored);
    return stored;
  }

  /**
   * Stores the state and repaints the badge. The badge is set even when unchanged (browsers reset a
   * tab's badge when it navigates) unless `paint` is false; storage is written only when something
   * but the time changed.
   */
  async set(state: TabState, paint = true): Promise<void> {
    const before = this.memory.get(state.tabId);
    this.memory.set(state.tabId, state);
    this.wrote(state.tabId);
    const badge = paint ? this.api.setBadge(state.tabId, badgeFor(state)) : undefined; // the verdict shows first
    const indexed = this.track(state.tabId);
    if (!before || !sameExceptTime(before, state)) await this.api.session.set(key(state.tabId), state);
    await Promise.all([badge, indexed]);
  }

  /** Merges `change` into the tab's state; ignored when the tab has since moved to another host. */
  async update(tabId: number, host: string, change: Partial<TabState>): Promise<TabState | undefined> {
    const current = await this.get(tabId);
    if (current && current.host !== host) return undefined;
    const next = {
      ...(current ?? { tabId, url: change.url ?? '', host, phase: 'idle' as const }),
      ...change,
      tabId,
      host,
      updatedAt: this.api.now(),
    } as TabState;
    await this.set(next);
    return next;
  }

  /**
   * The tab started loading `url`. Another site (or a URL the extension may not read) resets the
   * state; the same site keeps it until a new verdict replaces it, and gets its badge back. With
   * `repaint` false nothing is painted: the caller has the response's headers, which come before
   * the document commits and the browser resets the tab's badge, and the verdict it is about to
   * record repaints it, as does the navigation event that follows the commit.
   */
  async navigated(
    tabId: number,
    url: string | undefined,
    initialPhase: TabState['phase'],
    repaint = true,
  ): Promise<void> {
    const current = await this.get(tabId);
    const host = url ? hostOf(url) : '';
    if (current && host && current.host === host) {
      if (repaint) await this.api.setBadge(tabId, badgeFor(current)); // the browser reset it on navigation
      return;
    }
    if (!url) {
      if (current) await this.remove(tabId);
      await this.api.setBadge(tabId, badgeFor(undefined));
      return;
    }
    const phase = url.startsWith('https:') ? initialPhase : 'insecure';
    await this.set({ tabId, url, host, phase, updatedAt: this.api.now() }, repaint);
  }

  async remove(tabId: number): Promise<void> {
    this.memory.delete(tabId);
    this.wrote(tabId);
    await Promise.all([this.api.session.remove(key(tabId)), this.forget(tabId)]);
  }

  private wrote(tabId: number): void {
    this.writes.set(tabId, (this.writes.get(tabId) ?? 0) + 1);
    if (!this.warm) this.touched.add(tabId);
  }

  /** Adds the tab to the stored index (a write only for a tab not in it yet). Never throws. */
  private async track(tabId: number): Promise<void> {
    const ids = await this.loadIds().catch(() => undefined);
    if (!ids || ids.has(tabId)) return;
    ids.add(tabId);
    await this.writeIds(ids);
  }

  private async forget(tabId: number): Promise<void> {
    const ids = await this.loadIds().catch(() => undefined);
    if (!ids?.delete(tabId)) return;
    await this.writeIds(ids);
  }

  /** Writes in order, each the set as it is when its turn comes: the last write holds the latest set. */
  private writeIds(ids: Set<number>): Promise<void> {
    return this.indexWrites.run(() => this.api.session.set(INDEX_KEY, [...ids])).catch(() => undefined);
  }

  private loadIds(): Promise<Set<number>> {
    this.ids ??= this.api.session
      .get<unknown>(INDEX_KEY)
      .then(
        (saved) => new Set(Array.isArray(saved) ? saved.filter((id): id is number => Number.isSafeInteger(id)) : []),
      )
      .catch((e: unknown) => {
        this.ids = undefined;
        throw e;
      });
    return this.ids;
  }
}

/** Same content but for updatedAt (reports and summaries compared by identity: they come from the verdict cache). */
function sameExceptTime(a: TabState, b: TabState): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TabState>;
  keys.delete('updatedAt');
  for (const k of keys) {
    if (k === 'summary' || k === 'browserVerdict' || k === 'frames' || k === 'chain' || k === 'inclusion') {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}
