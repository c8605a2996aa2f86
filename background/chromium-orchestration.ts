/**
 * Chromium: the on-demand check ("Check this site"), which reloads the tab under the debugger
 * (chromium-check.ts), and the tab's navigations, one of which is that reload.
 */
import type { BrowserApi } from './browser-api.js';
import { chromiumChainInput, type ChromiumReading } from './chromium-check.js';
import type { TabState } from './messages.js';
import { hostOf, type TabStates } from './tab-state.js';
import type { TabVerdicts } from './tab-verdicts.js';
import { UserFacingError } from './user-facing-error.js';

/** How long after a Chromium check starts its own reload's load event is expected. */
const OWN_RELOAD_WINDOW_MS = 30_000;

export type ReadChromiumTab = (tabId: number) => Promise<ChromiumReading>;

export class ChromiumOrchestration {
  private readonly checking = new Set<number>();
  /** Tabs whose check reloaded them: the load event that reload causes may still be on its way. */
  private readonly ownReload = new Map<number, { seen: boolean; at: number }>();

  /** `read` is undefined where there is no debugger API (Firefox). */
  constructor(
    private readonly tabs: TabStates,
    private readonly verdicts: TabVerdicts,
    private readonly now: BrowserApi['now'],
    private readonly read: ReadChromiumTab | undefined,
  ) {}

  /** The user asked to check the tab. A failed reading is the tab's error, not a thrown one. */
  async checkTab(tabId: number): Promise<TabState> {
    const read = this.read;
    if (!read) throw new UserFacingError("on-demand checks need Chromium's debugger API");
    this.checking.add(tabId);
    this.ownReload.set(tabId, { seen: false, at: this.now() });
    try {
      const current = await this.tabs.get(tabId);
      if (current) await this.tabs.set({ ...current, phase: 'checking', updatedAt: this.now() });
      let reading: ChromiumReading;
      try {
        reading = await read(tabId);
      } catch (e) {
        const before = current ?? { tabId, url: '', host: '' };
        const state: TabState = { ...before, phase: 'error', error: (e as Error).message, updatedAt: this.now() };
        await this.tabs.set(state);
        return state;
      }
      const { url } = reading;
      await this.tabs.navigated(tabId, url, 'checking');
      if (!url.startsWith('https:')) return (await this.tabs.get(tabId))!;
      if (reading.chain.length === 0) {
        const error = 'Chromium gave no certificate chain for this page';
        return (await this.tabs.update(tabId, hostOf(url), { url, phase: 'error', error }))!;
      }
      return (await this.verdicts.record(tabId, url, chromiumChainInput(reading), 'main_frame'))!;
    } finally {
      this.checking.delete(tabId);
    }
  }

  /** A tab started loading `url` (undefined when the extension may not read it). */
  async onNavigation(tabId: number, url: string | undefined, automatic: boolean): Promise<void> {
    // A Chromium check reloads the tab; the load event it causes is ours, whether it arrives during
    // the check or just after it (events reach the worker in no fixed order): skip it once.
    const own = this.ownReload.get(tabId);
    if (own && !own.seen && this.now() - own.at < OWN_RELOAD_WINDOW_MS) {
      own.seen = true;
      return;
    }
    if (this.checking.has(tabId)) return;
    await this.tabs.navigated(tabId, url, automatic ? 'checking' : 'idle');
  }

  /** Whether "Check this site" is reading the tab now (its reload is the debugger's to read). */
  isChecking(tabId: number): boolean {
    return this.checking.has(tabId);
  }

  onTabRemoved(tabId: number): Promise<void> {
    this.ownReload.delete(tabId);
    return this.tabs.remove(tabId);
  }
}
