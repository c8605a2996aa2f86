/**
 * Chromium's automatic checks: each HTTPS main-frame or sub-frame response's certificate (the leaf
 * alone, chromium-webrequest-reader.ts) becomes the tab's verdict through the same path as
 * Firefox's (tab-verdicts.ts: per-tab state, badge, warnings, verdict cache). An embedded SCT
 * signs its issuer's key hash (RFC 6962 §3.2), so the issuer is found first (issuer-store.ts:
 * one held, else its caIssuers URL when the options allow); without it those SCTs are
 * missing-issuer, with the reason in the report's notes.
 */
import { sha256, toBase64, toHex, type Bytes } from '../src/bytes.js';
import { CertificateError, parseCertificate, type CertificateView } from '../src/x509/certificate.js';
import { embeddedSctList } from '../src/x509/embedded-scts.js';
import type { ChainInput } from './checker.js';
import type { ChromiumAutomaticMode } from './chromium-automatic-mode.js';
import type { IssuerStore } from './issuer-store.js';
import type { Settings } from './settings.js';
import { hostOf, type TabStates } from './tab-state.js';
import type { Frame, TabVerdicts } from './tab-verdicts.js';

/** webRequest.SecurityInfo as Chromium gives it (the fields ctlens reads). */
export interface ChromiumSecurityInfo {
  /** "secure", "insecure", "broken". */
  readonly state: string;
  readonly certificates?: readonly { readonly rawDER?: ArrayBuffer | readonly number[] }[];
}

export interface ChromiumResponse {
  readonly tabId: number;
  readonly url: string;
  readonly frame: Frame;
  /** Undefined when Chromium gave none (its WebRequestSecurityInfo feature is off). */
  readonly info: ChromiumSecurityInfo | undefined;
}

/** Leaves whose issuer was found, remembered for revisits (by the leaf's SHA-256). */
const MAX_REMEMBERED = 100;
/** A tab's verdict for the same certificate of a host is kept this long (as Firefox's, firefox-responses.ts). */
const CHECK_AGAIN_AFTER_MS = 5 * 60 * 1000;

export class ChromiumResponses {
  private readonly issuerOf = new Map<string, { readonly issuer: Bytes; readonly note: string }>();
  /** When the first response of this worker arrived (performance clock), for the cold-start figure. */
  firstResponseAt: number | undefined;

  constructor(
    private readonly tabs: TabStates,
    private readonly verdicts: TabVerdicts,
    private readonly issuers: IssuerStore,
    private readonly mode: ChromiumAutomaticMode,
    private readonly settings: () => Promise<Settings>,
    /** A tab under "Check this site": its reload's response is the debugger's to read, not ours. */
    private readonly underDebugger: (tabId: number) => boolean,
    private readonly now: () => number,
  ) {}

  async onResponse(response: ChromiumResponse): Promise<void> {
    this.firstResponseAt ??= performance.now();
    const { tabId, url, frame, info } = response;
    void this.mode.observe(info !== undefined);
    if (!info) return; // checks stay on demand ("Check this site")
    if (frame === 'main_frame' && this.underDebugger(tabId)) return;
    const host = hostOf(url);
    const raw = info.state === 'secure' ? info.certificates?.[0]?.rawDER : undefined;
    const leaf =
      raw === undefined ? undefined : raw instanceof ArrayBuffer ? new Uint8Array(raw) : Uint8Array.from(raw);
    // The verdict stands. Its badge comes back from the tab's navigation event (worker.ts): Chromium
    // clears a tab's badge when the document commits, after these headers, so painting it here is lost.
    if (leaf && this.unchanged(tabId, host, leaf, frame)) return;
    if (frame === 'main_frame') await this.tabs.navigated(tabId, url, 'checking', false);
    if (info.state !== 'secure') {
      if (frame === 'main_frame')
        await this.tabs.update(tabId, host, {
          url,
          phase: 'error',
          error: `the connection is not secure (${info.state})`,
        });
      return;
    }
    if (!leaf) {
      if (frame === 'main_frame')
        await this.tabs.update(tabId, host, {
          url,
          phase: 'error',
          error: 'Chromium gave no certificate for this page',
        });
      return;
    }
    const input = await this.withIssuer(leaf);
    if (frame === 'main_frame' && this.underDebugger(tabId)) return; // a check began meanwhile
    await this.verdicts.record(tabId, url, input, frame);
  }

  /**
   * Whether the tab's verdict already covers this response: a reload or revisit of the host within
   * five minutes with the same certificate (a sub frame: the same host among the tab's frames).
   * The verdict stands, and the response costs no check (every response comes with its leaf).
   */
  private unchanged(tabId: number, host: string, leaf: Bytes, frame: Frame): boolean {
    const state = this.tabs.peek(tabId);
    if (state?.phase !== 'done' || this.now() - state.updatedAt > CHECK_AGAIN_AFTER_MS) return false;
    if (frame === 'sub_frame') return (state.frames ?? []).some((f) => f.host === host);
    return state.host === host && state.chain?.[0] === toBase64(leaf);
  }

  /** The chain to check: the leaf and, when its embedded SCTs need it and it is found, its issuer. */
  private async withIssuer(leafDer: Bytes): Promise<ChainInput> {
    let leaf: CertificateView;
    try {
      leaf = parseCertificate(leafDer);
    } catch (e) {
      if (e instanceof CertificateError) return { chain: [leafDer] }; // the check says what is wrong with it
      throw e;
    }
    const list = embeddedSctList(leaf);
    if (list.status !== 'ok' || list.scts.length === 0) return { chain: [leafDer] };
    const digest = toHex(sha256(leafDer));
    const remembered = this.issuerOf.get(digest);
    if (remembered) return { chain: [leafDer, remembered.issuer], notes: [remembered.note] };
    const resolution = await this.issuers.resolve(leaf, (await this.settings()).fetchIssuers);
    if ('missing' in resolution) {
      const note =
        `Chromium shows extensions the leaf alone, and its issuer was not found: ${resolution.missing}. ` +
        '"Check this site" reads the whole chain through the debugger.';
      return { chain: [leafDer], notes: [note] };
    }
    const found =
      resolution.from === 'aia'
        ? `was fetched from ${resolution.url}, the caIssuers URL it names`
        : 'is one ctlens already held';
    const note =
      `Chromium shows extensions the leaf alone: its issuer certificate ${found}, ` +
      'and its signature on the leaf verifies.';
    this.issuerOf.set(digest, { issuer: resolution.issuer, note });
    if (this.issuerOf.size > MAX_REMEMBERED) this.issuerOf.delete(this.issuerOf.keys().next().value as string);
    return { chain: [leafDer, resolution.issuer], notes: [note] };
  }
}
