/**
 * Firefox: every HTTPS main-frame and sub-frame response is checked automatically, through a
 * blocking webRequest.onHeadersReceived listener (getSecurityInfo works only while Firefox holds
 * the request). The listener returns at once; verification runs when the answer arrives, so no
 * page waits for it. Which responses are read at all is HoldPolicy's to say.
 */
import browser from 'webextension-polyfill';
import type { FirefoxResponse, FirefoxSecurityInfo } from './firefox-chain.js';

export const isFirefox = (): boolean =>
  typeof (browser.webRequest as unknown as { getSecurityInfo?: unknown } | undefined)?.getSecurityInfo === 'function';

/** Whether to hold this response until Firefox has answered getSecurityInfo (see below). */
export type HoldPolicy = (tabId: number, url: string, frame: 'main_frame' | 'sub_frame') => boolean;

/**
 * Registers the listener (at the worker's top level, as event pages require).
 *
 * Firefox answers getSecurityInfo only while it holds the request, and that costs the page about
 * 4 ms (measured in `npm run bench`); asking after letting the request go is not reliable (a
 * small page finishes first) and still cost ~2 ms. So a response is read only when `hold` says
 * so: the first response from a host in a tab, and again after a few minutes. Responses in
 * between keep the tab's verdict for that host and cost the page nothing.
 */
export function listenToFirefoxResponses(onResponse: (response: FirefoxResponse) => void, hold: HoldPolicy): void {
  const getSecurityInfo = (
    browser.webRequest as unknown as {
      getSecurityInfo(requestId: string, options: object): Promise<FirefoxSecurityInfo | undefined>;
    }
  ).getSecurityInfo;
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      if (details.tabId < 0) return undefined;
      const frame = details.type === 'main_frame' ? 'main_frame' : 'sub_frame';
      if (!hold(details.tabId, details.url, frame)) return undefined;
      // The call leaves on the same ordered channel as this listener's return, so Firefox answers
      // it while it still holds the request, and the request waits only for that answer.
      getSecurityInfo(details.requestId, { certificateChain: true, rawDER: true }).then(
        (info) => info && onResponse({ tabId: details.tabId, url: details.url, frame, info }),
        () => undefined, // the request is gone (cancelled, redirected): nothing to check
      );
      return undefined;
    },
    { urls: ['https://*/*'], types: ['main_frame', 'sub_frame'] },
    ['blocking'],
  );
}
