/**
 * Chromium: every HTTPS main-frame and sub-frame response, with its certificate, through
 * webRequest.onHeadersReceived and extraInfoSpec ["securityInfo", "securityInfoRawDer"] (behind
 * Chromium's WebRequestSecurityInfo feature, chrome://flags/#web-request-security-info). The
 * listener is not blocking: Chromium holds nothing for it and no page waits for ctlens.
 *
 * Seen in Chromium 156: `details.securityInfo` is { state, certificates: [{ rawDER, fingerprint }] }
 * with the leaf alone (rawDER an ArrayBuffer). With the feature off the listener is accepted but
 * never called, so a second, plain listener watches main frames complete (webRequest.onCompleted,
 * after onHeadersReceived for the same request): an HTTPS main frame from the network that
 * completes unseen is reported as a response without securityInfo. A Chromium that does not know
 * the option refuses the registration (a TypeError naming extraInfoSpec). Which of these holds is
 * chromium-automatic-mode.ts's to record. The first response with its certificate ends that watch.
 */
import type { ChromiumResponse, ChromiumSecurityInfo } from './chromium-responses.js';

interface Details {
  readonly requestId: string;
  readonly tabId: number;
  readonly url: string;
  readonly type: string;
  readonly securityInfo?: ChromiumSecurityInfo;
  readonly fromCache?: boolean;
}
interface WebRequestEvent {
  addListener(listener: (details: Details) => void, filter: object, extraInfoSpec?: string[]): void;
  removeListener(listener: (details: Details) => void): void;
}
type WebRequest = { readonly onHeadersReceived?: WebRequestEvent; readonly onCompleted?: WebRequestEvent };

/** Main-frame requests whose headers came (the latest). */
const MAX_SEEN = 64;

/**
 * What the listener asks Chromium for. Exported for the benchmark, whose baseline extension
 * registers this same listener alone, to tell Chromium's cost of the API from ctlens's.
 */
export const CHROMIUM_RESPONSES_FILTER = { urls: ['https://*/*'], types: ['main_frame', 'sub_frame'] };
export const SECURITY_INFO_OPTIONS = ['securityInfo', 'securityInfoRawDer'];

/**
 * Registers the listeners (at the worker's top level, as a service worker's listeners must be).
 * Undefined when this Chromium has no such option (or no webRequest at all): checks stay on demand.
 */
export function listenToChromiumResponses(
  onResponse: (response: ChromiumResponse) => void,
): ChromiumListening | undefined {
  const webRequest = (globalThis as unknown as { chrome?: { webRequest?: WebRequest } }).chrome?.webRequest;
  const { onHeadersReceived, onCompleted } = webRequest ?? {};
  if (!onHeadersReceived || !onCompleted) return undefined;
  const seen = new Set<string>();
  let watchingUnseen = true;
  const completed = (details: Details): void => {
    if (details.tabId < 0 || details.fromCache || seen.delete(details.requestId)) return;
    onResponse({ tabId: details.tabId, url: details.url, frame: 'main_frame', info: undefined });
  };
  const listening: ChromiumListening = {
    stopWatchingUnseen() {
      if (!watchingUnseen) return;
      watchingUnseen = false;
      onCompleted.removeListener(completed);
      seen.clear();
    },
  };
  try {
    onHeadersReceived.addListener(
      (details) => {
        if (details.tabId < 0) return; // not a tab's (a service worker's, a prefetch)
        const frame = details.type === 'main_frame' ? 'main_frame' : 'sub_frame';
        if (details.securityInfo)
          listening.stopWatchingUnseen(); // the feature is on until a relaunch
        else if (frame === 'main_frame' && watchingUnseen) remember(seen, details.requestId);
        onResponse({ tabId: details.tabId, url: details.url, frame, info: details.securityInfo });
      },
      CHROMIUM_RESPONSES_FILTER,
      SECURITY_INFO_OPTIONS,
    );
  } catch (e) {
    if (e instanceof TypeError) return undefined; // "Error at parameter 'extraInfoSpec'": unknown here
    throw e;
  }
  onCompleted.addListener(completed, { urls: ['https://*/*'], types: ['main_frame'] });
  return listening;
}

/** The listeners registered. */
export interface ChromiumListening {
  /**
   * Responses come with their certificate (the feature is on, and stays so until Chromium is
   * relaunched): the watch for main frames that complete unseen, which tells "feature off", ends,
   * so Chromium no longer wakes the worker for every completed page.
   */
  stopWatchingUnseen(): void;
}

function remember(seen: Set<string>, requestId: string): void {
  seen.add(requestId);
  if (seen.size > MAX_SEEN) seen.delete(seen.values().next().value as string);
}
