/**
 * Chromium gives extensions no certificates. On the user's request ("Check this site"), with
 * the optional `debugger` permission: attach to the tab, enable the Network domain, reload,
 * take the main document's response (its securityDetails hold Chrome's SCT list, with TLS and
 * OCSP SCTs, and Chrome's own CT verdict) and the chain (Network.getCertificate), then detach
 * at once. Chromium shows "started debugging this browser" while attached: the popup says so first.
 */
import { fromBase64 } from '../src/bytes.js';
import { deliveredFromDevTools, type DevToolsSct } from '../src/chromium-scts.js';
import type { ChainInput } from './checker.js';

interface Debuggee {
  readonly tabId: number;
}
interface ChromeDebugger {
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  onEvent: { addListener(fn: DebuggerListener): void; removeListener(fn: DebuggerListener): void };
  onDetach: {
    addListener(fn: (source: Debuggee, reason: string) => void): void;
    removeListener(fn: (source: Debuggee, reason: string) => void): void;
  };
}
type DebuggerListener = (source: Debuggee, method: string, params?: unknown) => void;

/** Network.SecurityDetails, the fields ctlens reads. */
interface SecurityDetails {
  readonly protocol?: string;
  readonly subjectName?: string;
  readonly signedCertificateTimestampList?: readonly DevToolsSct[];
  /** "unknown" | "not-compliant" | "compliant" */
  readonly certificateTransparencyCompliance?: string;
}

export interface ChromiumReading {
  readonly url: string;
  readonly securityState: string;
  readonly details: SecurityDetails | undefined;
  /** DER certificates, leaf first. */
  readonly chain: Uint8Array[];
}

class ChromiumCheckError extends Error {
  override name = 'ChromiumCheckError';
}

const chromeDebugger = (): ChromeDebugger => {
  const api = (globalThis as unknown as { chrome?: { debugger?: ChromeDebugger } }).chrome?.debugger;
  if (!api) throw new ChromiumCheckError('the debugger permission was not granted');
  return api;
};

/** Reloads the tab under the debugger and reads its chain. Always detaches. */
export async function readChromiumTab(tabId: number, timeoutMs = 20_000): Promise<ChromiumReading> {
  const api = chromeDebugger();
  const target = { tabId };
  let mainFrameId: string | undefined;
  let resolveResponse!: (r: { url: string; securityState: string; details?: SecurityDetails }) => void;
  const response = new Promise<{ url: string; securityState: string; details?: SecurityDetails }>(
    (r) => (resolveResponse = r),
  );
  const onEvent: DebuggerListener = (source, method, params) => {
    if (source.tabId !== tabId || method !== 'Network.responseReceived') return;
    const p = params as {
      type?: string;
      frameId?: string;
      response: { url: string; securityState: string; securityDetails?: SecurityDetails };
    };
    if (p.type === 'Document' && p.frameId === mainFrameId) {
      resolveResponse({
        url: p.response.url,
        securityState: p.response.securityState,
        details: p.response.securityDetails,
      });
    }
  };
  let detachedBy: string | undefined;
  const onDetach = (source: Debuggee, reason: string) => {
    if (source.tabId === tabId) detachedBy = reason;
  };
  api.onEvent.addListener(onEvent);
  api.onDetach.addListener(onDetach);
  try {
    try {
      await api.attach(target, '1.3');
    } catch (e) {
      throw new ChromiumCheckError(`cannot attach to the tab: ${(e as Error).message}`);
    }
    // Network.enable must come before the load: getCertificate knows only loads seen since.
    await api.sendCommand(target, 'Network.enable', {});
    await api.sendCommand(target, 'Page.enable', {});
    const tree = (await api.sendCommand(target, 'Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    mainFrameId = tree.frameTree.frame.id;
    await api.sendCommand(target, 'Page.reload', {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ChromiumCheckError(
              `no response from the page within ${timeoutMs / 1000} s` +
                (detachedBy ? ` (debugger detached: ${detachedBy})` : ''),
            ),
          ),
        timeoutMs,
      );
    });
    const main = await Promise.race([response, timeout]).finally(() => clearTimeout(timer));
    if (!main.url.startsWith('https:')) return { ...main, details: undefined, chain: [] };
    const certificate = (await api.sendCommand(target, 'Network.getCertificate', {
      origin: new URL(main.url).origin,
    })) as { tableNames?: string[] };
    const chain = (certificate.tableNames ?? []).map((b64) => fromBase64(b64));
    return { url: main.url, securityState: main.securityState, details: main.details, chain };
  } finally {
    api.onEvent.removeListener(onEvent);
    api.onDetach.removeListener(onDetach);
    await api.detach(target).catch(() => undefined);
  }
}

/**
 * The chain as the core takes it. Chromium evaluates CT only for publicly trusted roots, so a
 * compliance of "unknown" marks a chain it did not judge: most likely a private root.
 */
export function chromiumChainInput(reading: ChromiumReading): ChainInput {
  const compliance = reading.details?.certificateTransparencyCompliance;
  return {
    chain: reading.chain,
    delivered: deliveredFromDevTools(reading.details?.signedCertificateTimestampList ?? []),
    publiclyTrusted: compliance !== undefined && compliance !== 'unknown',
    browserVerdict: compliance
      ? { browser: 'chromium', status: compliance, compliant: compliance === 'compliant' }
      : undefined,
  };
}
