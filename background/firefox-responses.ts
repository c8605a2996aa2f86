/**
 * Firefox: each main-frame or sub-frame response's security info becomes the tab's verdict, and
 * the choice of which responses to hold for it (firefox-reader.ts).
 */
import type { BrowserApi } from './browser-api.js';
import { chainInput, type FirefoxResponse } from './firefox-chain.js';
import { hostOf, type TabStates } from './tab-state.js';
import type { Frame, TabVerdicts } from './tab-verdicts.js';

/** A tab's verdict for a host older than this is checked again on the next response. */
const HOLD_AGAIN_AFTER_MS = 5 * 60 * 1000;

export class FirefoxResponses {
  constructor(
    private readonly tabs: TabStates,
    private readonly verdicts: TabVerdicts,
    private readonly now: BrowserApi['now'],
  ) {}

  /** A response's security info arrived. Only a main frame's failure becomes the tab's error. */
  async onResponse(response: FirefoxResponse): Promise<void> {
    const { tabId, url, frame, info } = response;
    const host = hostOf(url);
    if (frame === 'main_frame') await this.tabs.navigated(tabId, url, 'checking', false);
    if (info.state !== 'secure' && info.state !== 'weak') {
      if (frame !== 'main_frame') return;
      const why = `${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}`;
      await this.tabs.update(tabId, host, { url, phase: 'error', error: `the connection is not secure (${why})` });
      return;
    }
    const input = chainInput(info);
    if (!input) {
      if (frame !== 'main_frame') return;
      const error = 'Firefox gave no certificate chain for this page';
      await this.tabs.update(tabId, host, { url, phase: 'error', error });
      return;
    }
    await this.verdicts.record(tabId, url, input, frame);
  }

  /**
   * Whether a response is read (held until Firefox gives its security info, ~4 ms; see
   * firefox-reader.ts): yes unless the tab's state (storage.session, mirrored in memory since the
   * worker started) holds a verdict for this host that is under 5 minutes old. A revisit within
   * that time keeps the verdict and costs the page nothing. Synchronous (Firefox's blocking
   * listener calls it): a tab the mirror does not know (yet, at a restart) is held.
   */
  mustHold(tabId: number, url: string, frame: Frame): boolean {
    const state = this.tabs.peek(tabId);
    const host = hostOf(url);
    if (state?.phase !== 'done' || this.now() - state.updatedAt > HOLD_AGAIN_AFTER_MS) return true;
    return frame === 'main_frame' ? state.host !== host : !(state.frames ?? []).some((f) => f.host === host);
  }
}
