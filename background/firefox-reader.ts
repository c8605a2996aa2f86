/**
 * Firefox: every HTTPS main-frame and sub-frame response is checked automatically. A blocking
 * webRequest.onHeadersReceived listener (getSecurityInfo works only there) takes the chain and
 * returns at once; verification runs afterwards, so no page waits for it.
 */
import browser from 'webextension-polyfill';
import type { FirefoxResponse, FirefoxSecurityInfo } from './firefox-chain.js';

export const isFirefox = (): boolean =>
  typeof (browser.webRequest as unknown as { getSecurityInfo?: unknown } | undefined)?.getSecurityInfo === 'function';

/** Registers the listener (at the worker's top level, as event pages require). */
export function listenToFirefoxResponses(onResponse: (response: FirefoxResponse) => void): void {
  const getSecurityInfo = (browser.webRequest as unknown as {
    getSecurityInfo(requestId: string, options: object): Promise<FirefoxSecurityInfo>;
  }).getSecurityInfo;
  browser.webRequest.onHeadersReceived.addListener(
    async (details) => {
      if (details.tabId < 0) return {};
      try {
        const info = await getSecurityInfo(details.requestId, { certificateChain: true, rawDER: true });
        const frame = details.type === 'main_frame' ? 'main_frame' : 'sub_frame';
        setTimeout(() => onResponse({ tabId: details.tabId, url: details.url, frame, info }), 0);
      } catch {
        // The request is gone (cancelled, redirected): nothing to check.
      }
      return {};
    },
    { urls: ['https://*/*'], types: ['main_frame', 'sub_frame'] },
    ['blocking'],
  );
}
