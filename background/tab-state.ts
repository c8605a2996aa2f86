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
  constructor(private readonly api: BrowserApi) {}

  get(tabId: number): Promise<TabState | undefined> {
    return this.api.session.get<TabState>(key(tabId));
  }

  async set(state: TabState): Promise<void> {
    await this.api.session.set(key(state.tabId), state);
    await this.api.setBadge(state.tabId, badgeFor(state));
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
   * state; the same site keeps it until a new verdict replaces it.
   */
  async navigated(tabId: number, url: string | undefined, initialPhase: TabState['phase']): Promise<void> {
    const current = await this.get(tabId);
    const host = url ? hostOf(url) : '';
    if (current && host && current.host === host) return;
    if (!url) {
      if (current) await this.remove(tabId);
      await this.api.setBadge(tabId, badgeFor(undefined));
      return;
    }
    const phase = url.startsWith('https:') ? initialPhase : 'insecure';
    await this.set({ tabId, url, host, phase, updatedAt: this.api.now() });
  }

  remove(tabId: number): Promise<void> {
    return this.api.session.remove(key(tabId));
  }
}
