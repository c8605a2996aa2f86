/**
 * Per-tab state, kept in storage.session so it survives the MV3 worker being stopped, and reset
 * when the tab goes to another site. Every change repaints the tab's badge.
 */
import { badgeFor } from './badge.js';
import type { BrowserApi } from './browser-api.js';
import type { TabState } from './messages.js';

const key = (tabId: number) => `tab:${tabId}`;

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

  constructor(private readonly api: BrowserApi) {}

  /** The state as this worker last saw it, without a storage read (undefined after a restart). */
  peek(tabId: number): TabState | undefined {
    return this.memory.get(tabId);
  }

  async get(tabId: number): Promise<TabState | undefined> {
    if (this.memory.has(tabId)) return this.memory.get(tabId);
    const stored = await this.api.session.get<TabState>(key(tabId));
    if (stored) this.memory.set(tabId, stored);
    return stored;
  }

  /**
   * Stores the state and repaints the badge. The badge is always set (browsers reset a tab's badge
   * when it navigates); storage is written only when something but the time changed.
   */
  async set(state: TabState): Promise<void> {
    const before = this.memory.get(state.tabId);
    this.memory.set(state.tabId, state);
    const badge = this.api.setBadge(state.tabId, badgeFor(state)); // the verdict shows first
    if (!before || !sameExceptTime(before, state)) await this.api.session.set(key(state.tabId), state);
    await badge;
  }

  /** Merges `change` into the tab's state; ignored when the tab has since moved to another host. */
  async update(tabId: number, host: string, change: Partial<TabState>): Promise<TabState | undefined> {
    const current = await this.get(tabId);
    if (current && current.host !== host) return undefined;
    const next = { ...(current ?? { tabId, url: change.url ?? '', host, phase: 'idle' as const }), ...change, tabId, host, updatedAt: this.api.now() } as TabState;
    await this.set(next);
    return next;
  }

  /**
   * The tab started loading `url`. Another site (or a URL the extension may not read) resets the
   * state; the same site keeps it until a new verdict replaces it, and gets its badge back unless
   * `repaint` is false (the caller is about to record a verdict, which repaints it).
   */
  async navigated(tabId: number, url: string | undefined, initialPhase: TabState['phase'], repaint = true): Promise<void> {
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
    await this.set({ tabId, url, host, phase, updatedAt: this.api.now() });
  }

  remove(tabId: number): Promise<void> {
    this.memory.delete(tabId);
    return this.api.session.remove(key(tabId));
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
