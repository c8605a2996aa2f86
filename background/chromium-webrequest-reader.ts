/**
 * Chromium: every HTTPS main-frame and sub-frame response, with its certificate, through
 * webRequest.onHeadersReceived and extraInfoSpec ["securityInfo", "securityInfoRawDer"] (behind
 * Chromium's WebRequestSecurityInfo feature, chrome://flags/#web-request-security-info). The
 * listener is not blocking: Chromium holds nothing for it and no page waits for ctlens.
 *
 * Seen in Chromium 156: `details.securityInfo` is { state, certificates: [{ rawDER, fingerprint }] }
 * with the leaf alone (rawDER an ArrayBuffer); with the feature off the listener still fires but
 * without securityInfo, and a Chromium that does not know the option refuses the registration
 * (a TypeError naming extraInfoSpec). Which of these holds is chromium-responses.ts's to record.
 */
import type { ChromiumResponse, ChromiumSecurityInfo } from './chromium-responses.js';

interface HeadersDetails {
  readonly tabId: number;
  readonly url: string;
  readonly type: string;
  readonly securityInfo?: ChromiumSecurityInfo;
}
interface WebRequestEvent {
  addListener(listener: (details: HeadersDetails) => void, filter: object, extraInfoSpec: string[]): void;
}

export const SECURITY_INFO_OPTIONS = ['securityInfo', 'securityInfoRawDer'];

/**
 * Registers the listener (at the worker's top level, as a service worker's listeners must be).
 * False when this Chromium has no such option (or no webRequest at all): checks stay on demand.
 */
export function listenToChromiumResponses(onResponse: (response: ChromiumResponse) => void): boolean {
  const event = (globalThis as unknown as { chrome?: { webRequest?: { onHeadersReceived?: WebRequestEvent } } })
    .chrome?.webRequest?.onHeadersReceived;
  if (!event) return false;
  try {
    event.addListener(
      (details) => {
        if (details.tabId < 0) return; // not a tab's (a service worker's, a prefetch)
        const frame = details.type === 'main_frame' ? 'main_frame' : 'sub_frame';
        onResponse({ tabId: details.tabId, url: details.url, frame, info: details.securityInfo });
      },
      { urls: ['https://*/*'], types: ['main_frame', 'sub_frame'] },
      SECURITY_INFO_OPTIONS,
    );
    return true;
  } catch (e) {
    if (e instanceof TypeError) return false; // "Error at parameter 'extraInfoSpec'": unknown here
    throw e;
  }
}
