/**
 * The worker's composition root, free of browser globals (everything goes through BrowserApi and
 * injected readers): it builds each feature once and wires them. One file per feature:
 * settings-store.ts, tab-verdicts.ts, firefox-responses.ts, chromium-responses.ts (automatic),
 * chromium-orchestration.ts (on demand), issuer-store.ts, inclusion-checks.ts, pasted-chain.ts,
 * log-list-info.ts, and message-handlers.ts for the pages' requests.
 */
import type { BrowserApi } from './browser-api.js';
import type { Fetch } from '../src/issuer/fetch-issuer.js';
import { Checker } from './checker.js';
import { ChromiumAutomaticMode, type ChromiumModeInfo } from './chromium-automatic-mode.js';
import { ChromiumOrchestration, type ReadChromiumTab } from './chromium-orchestration.js';
import { ChromiumResponses, type ChromiumResponse } from './chromium-responses.js';
import type { FirefoxResponse } from './firefox-chain.js';
import { FirefoxResponses } from './firefox-responses.js';
import { InclusionChecks } from './inclusion-checks.js';
import { IssuerStore } from './issuer-store.js';
import { logListInfo } from './log-list-info.js';
import { ExtensionLogLists } from './log-lists.js';
import { dispatch, messageHandlers, reply, type MessageHandlers } from './message-handlers.js';
import type { LogListInfo, Reply, Request, TabState } from './messages.js';
import { checkPastedChain, type PastedChainReport } from './pasted-chain.js';
import type { Settings } from './settings.js';
import { SettingsStore } from './settings-store.js';
import { TabStates } from './tab-state.js';
import { TabVerdicts, type Frame, type WorkerMetrics } from './tab-verdicts.js';
import { VerdictCache } from './verdict-cache.js';
import { Warner } from './warnings.js';

export interface ControllerOptions {
  /** Reads a Chromium tab under the debugger (background/chromium-check.ts). */
  readonly readChromiumTab?: ReadChromiumTab;
  /** Where the log list update comes from (tests point it at a local server). */
  readonly logListUrl?: string;
  /** The key that list must be signed with (default Google's; tests sign their own lists). */
  readonly logListKeyPem?: string;
  /** Chromium accepted the webRequest listener with securityInfo (chromium-webrequest-reader.ts). */
  readonly chromiumAutomatic?: boolean;
  /** How caIssuers URLs are fetched (default: the global fetch). */
  readonly fetch?: Fetch;
}

export class Controller {
  readonly tabs: TabStates;
  readonly logLists: ExtensionLogLists;
  private readonly settingsStore: SettingsStore;
  private readonly checker: Checker;
  private readonly verdicts: TabVerdicts;
  private readonly firefox: FirefoxResponses;
  private readonly chromium: ChromiumOrchestration;
  private readonly chromiumMode: ChromiumAutomaticMode;
  private readonly chromiumResponses: ChromiumResponses;
  readonly issuers: IssuerStore;
  private readonly inclusion: InclusionChecks;
  private readonly handlers: MessageHandlers;

  constructor(
    private readonly api: BrowserApi,
    options: ControllerOptions = {},
  ) {
    const settings = () => this.settingsStore.get();
    this.tabs = new TabStates(api);
    const source = { url: options.logListUrl, publicKeyPem: options.logListKeyPem, notify: api.notify.bind(api) };
    this.logLists = new ExtensionLogLists(api.local, settings, api.now, source);
    this.settingsStore = new SettingsStore(api.local, () => this.logLists.invalidate());
    this.issuers = new IssuerStore(api.local, options.fetch ?? ((url, init) => fetch(url, init)), api.now);
    const seen = (chain: readonly Uint8Array[]) => void this.issuers.learn(chain);
    this.checker = new Checker(api, this.logLists, new VerdictCache(api.session, api.now), settings, seen);
    this.inclusion = new InclusionChecks(api, this.tabs, this.logLists, settings);
    this.verdicts = new TabVerdicts({
      tabs: this.tabs,
      checker: this.checker,
      warner: new Warner(api),
      settings,
      autoInclusion: (tabId, report) => this.inclusion.autoCheck(tabId, report),
    });
    this.firefox = new FirefoxResponses(this.tabs, this.verdicts, api.now);
    this.chromium = new ChromiumOrchestration(this.tabs, this.verdicts, api.now, options.readChromiumTab);
    this.chromiumMode = new ChromiumAutomaticMode(api.session, options.chromiumAutomatic === true);
    this.chromiumResponses = new ChromiumResponses(
      this.tabs,
      this.verdicts,
      this.issuers,
      this.chromiumMode,
      settings,
      (tabId) => this.chromium.isChecking(tabId),
      api.now,
    );
    this.handlers = messageHandlers({
      tabs: this.tabs,
      settings: this.settingsStore,
      checker: this.checker,
      chromium: this.chromium,
      inclusion: this.inclusion,
      logLists: this.logLists,
      now: api.now,
      chromiumMode: () => this.chromiumMode.info(),
    });
  }

  get metrics(): WorkerMetrics {
    return this.verdicts.metrics;
  }

  /**
   * Starts what every first verdict needs (settings, the verified log lists) as soon as the
   * worker starts, so a page that arrives later finds it done and one that arrives now shares it.
   */
  warmUp(): Promise<void> {
    const parts = [
      this.settings(),
      this.logLists.registry(),
      this.checker.warmUp(),
      this.tabs.warmUp(),
      this.issuers.load(),
    ];
    return Promise.all(parts).then(
      () => undefined,
      () => undefined,
    );
  }

  /** The answer to a page's request (message-handlers.ts); rejects as the handler does. */
  handle(request: Request): Promise<unknown> {
    return dispatch(this.handlers, request);
  }

  /** The wrapped answer the worker sends back to a page; never rejects. */
  reply(request: Request): Promise<Reply<Request>> {
    return reply(this.handlers, request);
  }

  settings(): Promise<Settings> {
    return this.settingsStore.get();
  }

  setSettings(change: Partial<Settings>): Promise<Settings> {
    return this.settingsStore.set(change);
  }

  onFirefoxResponse(response: FirefoxResponse): Promise<void> {
    return this.firefox.onResponse(response);
  }

  mustHold(tabId: number, url: string, frame: Frame): boolean {
    return this.firefox.mustHold(tabId, url, frame);
  }

  checkChromiumTab(tabId: number): Promise<TabState> {
    return this.chromium.checkTab(tabId);
  }

  /** Chromium's automatic reader: a response and its certificate (or none, the feature being off). */
  onChromiumResponse(response: ChromiumResponse): Promise<void> {
    return this.chromiumResponses.onResponse(response);
  }

  /** Chromium: whether automatic checks are on (the popup says so, and how to turn them on). */
  chromiumModeInfo(): Promise<ChromiumModeInfo> {
    return this.chromiumMode.info();
  }

  /** A tab started loading `url`: a verdict follows when checks are automatic (Firefox, Chromium with the feature). */
  async onNavigation(tabId: number, url: string | undefined, automatic: boolean): Promise<void> {
    const checked = automatic || (await this.chromiumMode.info()).mode === 'automatic';
    return this.chromium.onNavigation(tabId, url, checked);
  }

  /** Chromium's automatic checks: the time its first response arrived (performance clock), for the figures. */
  get chromiumFirstResponseAt(): number | undefined {
    return this.chromiumResponses.firstResponseAt;
  }

  onTabRemoved(tabId: number): Promise<void> {
    return this.chromium.onTabRemoved(tabId);
  }

  checkInclusion(tabId: number): Promise<TabState> {
    return this.inclusion.checkTab(tabId);
  }

  checkPastedChain(pem: string): Promise<PastedChainReport> {
    return checkPastedChain(this.checker, pem);
  }

  logListInfo(): Promise<LogListInfo> {
    return logListInfo(this.logLists, this.api.now);
  }

  /** The daily update, when it is on and due. Failures are recorded, never thrown. */
  async updateLogListIfDue(): Promise<void> {
    if (await this.logLists.updateDue()) await this.logLists.update().catch(() => undefined);
  }
}
