/**
 * The worker's logic, free of browser globals (everything goes through BrowserApi and injected
 * readers): per-tab state, verdicts, badge, warnings, settings, log list updates, and the answers
 * to the pages' messages.
 */
import { decodePem, looksLikePem, PemError } from '../src/pem.js';
import { CertificateError } from '../src/x509/certificate.js';
import type { BrowserApi } from './browser-api.js';
import { Checker, type ChainInput, type Checked } from './checker.js';
import { chromiumChainInput, type ChromiumReading } from './chromium-check.js';
import { chainInput, type FirefoxResponse } from './firefox-chain.js';
import { ExtensionLogLists } from './log-lists.js';
import type { InclusionState, LogListInfo, Request, Response, TabState } from './messages.js';
import { fromBase64, toBase64 } from '../src/bytes.js';
import { decide } from '../src/check.js';
import { auditChain, lastingReaders } from '../src/audit/audit-chain.js';
import { LogHttp } from '../src/logclient/http.js';
import type { Report } from '../src/report.js';
import { StorageHeadStore } from './head-store.js';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings.js';
import { hostOf, TabStates } from './tab-state.js';
import { VerdictCache } from './verdict-cache.js';
import { Warner } from './warnings.js';
import { OncePerPeriod } from './once-per-period.js';

export interface ControllerOptions {
  /** Reads a Chromium tab under the debugger (background/chromium-check.ts). */
  readonly readChromiumTab?: (tabId: number) => Promise<ChromiumReading>;
  /** Where the log list update comes from (tests point it at a local server). */
  readonly logListUrl?: string;
}

const MAX_FRAMES = 20;
/** How long after a Chromium check starts its own reload's load event is expected. */
const OWN_RELOAD_WINDOW_MS = 30_000;
/** A tab's verdict for a host older than this is checked again on the next response. */
const HOLD_AGAIN_AFTER_MS = 5 * 60 * 1000;
/** The opt-in automatic inclusion check: once a day per certificate, for at most this many certificates. */
const AUTO_PERIOD_MS = 86_400_000;
const MAX_AUTO_CHECKED = 500;
const AUTO_CHECKED_KEY = 'autoInclusionChecked';

/** Timings for the cold-start measurement (ms on the worker's performance clock). */
export interface WorkerMetrics {
  /** When the worker's own code started running (its first module), and when its top-level code finished. */
  startedAt?: number;
  readyAt?: number;
  /** The first verdict: when its chain arrived, and when the verdict was recorded. */
  firstCheck?: { readonly receivedAt: number; readonly doneAt: number };
  checks: number;
}

export class Controller {
  readonly metrics: WorkerMetrics = { checks: 0 };
  readonly tabs: TabStates;
  readonly logLists: ExtensionLogLists;
  private readonly checker: Checker;
  private readonly checking = new Set<number>();
  private readonly warner: Warner;
  /** Tabs whose check reloaded them: the load event that reload causes may still be on its way. */
  private readonly ownReload = new Map<number, { seen: boolean; at: number }>();

  constructor(private readonly api: BrowserApi, private readonly options: ControllerOptions = {}) {
    this.tabs = new TabStates(api);
    this.logLists = new ExtensionLogLists(api.local, () => this.settings(), api.now, options.logListUrl);
    this.checker = new Checker(api, this.logLists, new VerdictCache(api.session, api.now), () => this.settings());
    this.warner = new Warner(api);
    this.autoChecked = new OncePerPeriod(api.local, AUTO_CHECKED_KEY, api.now, AUTO_PERIOD_MS, MAX_AUTO_CHECKED);
  }

  private settingsCache: Promise<Settings> | undefined;

  /** The settings, read from storage.local once per worker start and kept in memory after. */
  settings(): Promise<Settings> {
    this.settingsCache ??= this.api.local.get('settings').then((stored) => normalizeSettings(stored ?? DEFAULT_SETTINGS));
    return this.settingsCache;
  }

  async setSettings(change: Partial<Settings>): Promise<Settings> {
    const before = await this.settings();
    const next = normalizeSettings({ ...before, ...change });
    await this.api.local.set('settings', next);
    this.settingsCache = Promise.resolve(next);
    if (next.extraLogList !== before.extraLogList || next.extraLogKeys.join('\n') !== before.extraLogKeys.join('\n')) this.logLists.invalidate();
    return next;
  }

  /** Firefox: a main-frame or sub-frame response's security info arrived. */
  async onFirefoxResponse(response: FirefoxResponse): Promise<void> {
    const host = hostOf(response.url);
    if (response.frame === 'main_frame') await this.tabs.navigated(response.tabId, response.url, 'checking', false);
    const { info } = response;
    if (info.state !== 'secure' && info.state !== 'weak') {
      if (response.frame === 'main_frame') {
        await this.tabs.update(response.tabId, host, { url: response.url, phase: 'error', error: `the connection is not secure (${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''})` });
      }
      return;
    }
    const input = chainInput(info);
    if (!input) {
      if (response.frame === 'main_frame') await this.tabs.update(response.tabId, host, { url: response.url, phase: 'error', error: 'Firefox gave no certificate chain for this page' });
      return;
    }
    await this.checkAndRecord(response.tabId, response.url, input, response.frame);
  }

  /**
   * Starts what every first verdict needs (settings, the verified log lists) as soon as the
   * worker starts, so a page that arrives later finds it done and one that arrives now shares it.
   */
  warmUp(): Promise<void> {
    const parts = [this.settings(), this.logLists.registry(), this.checker.warmUp(), this.tabs.warmUp()];
    return Promise.all(parts).then(() => undefined, () => undefined);
  }

  /**
   * Whether a Firefox response is read (held until Firefox gives its security info, ~4 ms; see
   * firefox-reader.ts): yes unless the tab's state (storage.session, mirrored in memory since the
   * worker started) holds a verdict for this host that is under 5 minutes old. A revisit within
   * that time keeps the verdict and costs the page nothing. Synchronous (Firefox's blocking
   * listener calls it): a tab the mirror does not know (yet, at a restart) is held.
   */
  mustHold(tabId: number, url: string, frame: 'main_frame' | 'sub_frame'): boolean {
    const state = this.tabs.peek(tabId);
    const host = hostOf(url);
    if (!state || state.phase !== 'done' || this.api.now() - state.updatedAt > HOLD_AGAIN_AFTER_MS) return true;
    return frame === 'main_frame' ? state.host !== host : !(state.frames ?? []).some((f) => f.host === host);
  }

  /** Chromium: the user asked to check the tab ("Check this site"). */
  async checkChromiumTab(tabId: number): Promise<TabState> {
    const read = this.options.readChromiumTab;
    if (!read) throw new Error('on-demand checks need Chromium\'s debugger API');
    this.checking.add(tabId);
    this.ownReload.set(tabId, { seen: false, at: this.api.now() });
    try {
      const current = await this.tabs.get(tabId);
      if (current) await this.tabs.set({ ...current, phase: 'checking', updatedAt: this.api.now() });
      let reading: ChromiumReading;
      try {
        reading = await read(tabId);
      } catch (e) {
        const state: TabState = { ...(current ?? { tabId, url: '', host: '' }), phase: 'error', error: (e as Error).message, updatedAt: this.api.now() };
        await this.tabs.set(state);
        return state;
      }
      const host = hostOf(reading.url);
      await this.tabs.navigated(tabId, reading.url, 'checking');
      if (!reading.url.startsWith('https:')) return (await this.tabs.get(tabId))!;
      if (reading.chain.length === 0) {
        return (await this.tabs.update(tabId, host, { url: reading.url, phase: 'error', error: 'Chromium gave no certificate chain for this page' }))!;
      }
      return (await this.checkAndRecord(tabId, reading.url, chromiumChainInput(reading), 'main_frame'))!;
    } finally {
      this.checking.delete(tabId);
    }
  }

  /** A tab started loading `url` (undefined when the extension may not read it). */
  async onNavigation(tabId: number, url: string | undefined, automatic: boolean): Promise<void> {
    // A Chromium check reloads the tab; the load event it causes is ours, whether it arrives during
    // the check or just after it (events reach the worker in no fixed order): skip it once.
    const own = this.ownReload.get(tabId);
    if (own && !own.seen && this.api.now() - own.at < OWN_RELOAD_WINDOW_MS) {
      own.seen = true;
      return;
    }
    if (this.checking.has(tabId)) return;
    await this.tabs.navigated(tabId, url, automatic ? 'checking' : 'idle');
  }

  onTabRemoved(tabId: number): Promise<void> {
    this.ownReload.delete(tabId);
    return this.tabs.remove(tabId);
  }

  private async checkAndRecord(tabId: number, url: string, input: ChainInput, frame: 'main_frame' | 'sub_frame'): Promise<TabState | undefined> {
    const receivedAt = performance.now();
    this.metrics.checks++;
    return this.checkAndRecordUntimed(tabId, url, input, frame, () => (this.metrics.firstCheck ??= { receivedAt, doneAt: performance.now() }));
  }

  /** `onVerdict` runs once the verdict is recorded (badge set), before the description for people. */
  private async checkAndRecordUntimed(tabId: number, url: string, input: ChainInput, frame: 'main_frame' | 'sub_frame', onVerdict: () => void): Promise<TabState | undefined> {
    const host = hostOf(url);
    let checked: Checked;
    try {
      checked = await this.checker.check(input);
    } catch (e) {
      if (frame === 'main_frame') return this.tabs.update(tabId, host, { url, phase: 'error', error: `the certificate could not be read: ${(e as Error).message}` });
      return undefined;
    }
    const { summary } = checked;
    const settings = await this.settings();
    if (frame === 'sub_frame') {
      await this.warner.maybeWarn(settings, host, checked.report.certificate.sha256, summary);
      const state = await this.tabs.get(tabId);
      if (!state) return undefined;
      const frames = [...(state.frames ?? []).filter((f) => f.host !== host), { host, level: summary.level, title: summary.title }];
      return this.tabs.update(tabId, state.host, { frames: frames.slice(-MAX_FRAMES) });
    }
    const chain = input.chain.map((der) => toBase64(der));
    const sameChain = (await this.tabs.get(tabId))?.chain?.join() === chain.join();
    const recorded = await this.tabs.update(tabId, host, {
      url, phase: 'done', report: checked.report, summary, browserVerdict: input.browserVerdict, error: undefined, chain,
      ...(sameChain ? {} : { inclusion: undefined }),
    });
    onVerdict();
    await this.warner.maybeWarn(settings, host, checked.report.certificate.sha256, summary);
    if (recorded && settings.autoInclusion) void this.autoInclusion(tabId, host, checked.report);
    // The verdict is out; now the names and SANs people read (pkijs).
    if (recorded && !checked.report.certificate.described) {
      const full = await this.checker.describe(checked, input.chain);
      const current = await this.tabs.get(tabId);
      if (current?.report === checked.report) return this.tabs.update(tabId, host, { report: full });
    }
    return recorded;
  }

  /**
   * The inclusion audit of the tab's SCTs ("Check inclusion"): asks each log for a proof, which
   * tells the log operators which certificate the user looks at. Only on request or opt-in.
   */
  async checkInclusion(tabId: number): Promise<TabState> {
    const state = await this.tabs.get(tabId);
    if (!state || state.phase !== 'done' || !state.chain?.length) throw new Error('check this site first: there is no verdict to audit');
    const inclusion = await this.auditInclusion(state.chain.map((b) => fromBase64(b)));
    if ('error' in inclusion) throw new Error(inclusion.error);
    const next = (await this.tabs.update(tabId, state.host, { inclusion })) ?? state;
    if (inclusion.alerts.length) await this.warnSplitView(state.host, inclusion);
    return next;
  }

  /** The inclusion audit of a chain (the audit page, and checkInclusion). */
  async auditInclusion(chain: readonly Uint8Array[]): Promise<InclusionState | { error: string }> {
    const { registry } = await this.logLists.registry();
    const at = this.api.now();
    try {
      const { verification } = await decide({ chain, registry, at });
      const audit = await auditChain(verification, { store: new StorageHeadStore(this.api.local), at, http: this.logHttp, readerFor: this.readers });
      return { results: audit.inclusion, alerts: audit.alerts, notes: audit.notes, misbehaved: audit.misbehaved, checkedAt: new Date(at).toISOString() };
    } catch (e) {
      if (e instanceof CertificateError) return { error: e.message };
      throw e;
    }
  }

  /**
   * A split view is the loudest warning: always notified, whatever the warning settings, when it is
   * caught. One kept from an earlier audit (`earlier`) was notified then; the badge and popup keep showing it.
   */
  private async warnSplitView(host: string, inclusion: InclusionState): Promise<void> {
    for (const alert of inclusion.alerts.filter((a) => !a.earlier)) {
      await this.api.notify(`ctlens:split-view:${alert.logId}:${alert.evidence[1].treeSize}`, `ctlens: SPLIT VIEW in ${alert.log}`, `The log showed two different histories (${alert.detail}) while checking ${host}. Export the report from the popup: it holds both signed tree heads as evidence.`);
    }
  }

  /** The automatic check's once-a-day limit per certificate, in storage.local: it outlives the worker. */
  private readonly autoChecked: OncePerPeriod;
  /** One HTTP client and one reader per log for the worker's life: tiles fetched once serve every later audit. */
  private readonly logHttp = new LogHttp();
  private readonly readers = lastingReaders();

  /**
   * The opt-in automatic inclusion check: once the SCTs are older than their logs' MMD, at most
   * once a day per certificate, one audit at a time.
   */
  private async autoInclusion(tabId: number, host: string, report: Report): Promise<void> {
    const now = this.api.now();
    const ripe = report.scts.every((s) => s.status !== 'valid' || (s.timestamp ?? now) + (s.log?.mmd ?? 86_400) * 1000 <= now);
    if (!ripe || !report.scts.some((s) => s.status === 'valid')) return;
    // A limit that cannot be read or kept means no request: each one tells the logs what is visited.
    if (!(await this.autoChecked.claim(report.certificate.sha256).catch(() => false))) return;
    this.autoQueue = this.autoQueue.then(() => this.checkInclusion(tabId).then(() => undefined, () => undefined));
    await this.autoQueue;
  }
  private autoQueue: Promise<void> = Promise.resolve();

  /** The audit page: the full report at once. */
  private async auditReport(chain: readonly Uint8Array[]) {
    const checked = await this.checker.check({ chain });
    return { report: await this.checker.describe(checked, chain), summary: checked.summary };
  }

  /** The audit page: a pasted or dropped PEM chain, leaf first. */
  async auditChain(pem: string): Promise<Response<{ type: 'audit-chain'; pem: string }>> {
    try {
      if (!looksLikePem(new TextEncoder().encode(pem))) return { error: 'paste a PEM certificate chain: -----BEGIN CERTIFICATE----- …, leaf first' };
      const chain = decodePem(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
      if (chain.length === 0) return { error: 'no CERTIFICATE block found' };
      return await this.auditReport(chain);
    } catch (e) {
      if (e instanceof PemError || e instanceof CertificateError) return { error: e.message };
      throw e;
    }
  }

  async logListInfo(): Promise<LogListInfo> {
    const [{ registry, extraLogProblems }, status] = await Promise.all([this.logLists.registry(), this.logLists.status()]);
    const timestamp = registry.listTimestamp;
    const age = timestamp === undefined ? null : this.api.now() - timestamp;
    return {
      sources: registry.lists.map((l) => ({ source: l.source, version: l.version ?? null, timestamp: l.timestamp === undefined ? null : new Date(l.timestamp).toISOString(), signed: l.signed, logs: l.logCount })),
      timestamp: timestamp === undefined ? null : new Date(timestamp).toISOString(),
      ageDays: age === null ? null : Math.floor(age / 86_400_000),
      stale: age === null || age > 70 * 86_400_000,
      logs: registry.size,
      lastUpdate: status.lastUpdate === null ? null : new Date(status.lastUpdate).toISOString(),
      lastUpdateError: status.lastError,
      extraLogProblems,
    };
  }

  /** The daily update, when it is on and due. Failures are recorded, never thrown. */
  async updateLogListIfDue(): Promise<void> {
    if (await this.logLists.updateDue()) await this.logLists.update().catch(() => undefined);
  }

  async handle(request: Request): Promise<unknown> {
    switch (request.type) {
      case 'get-tab-state':
        return (await this.tabs.get(request.tabId)) ?? null;
      case 'check-tab':
        return this.checkChromiumTab(request.tabId);
      case 'audit-chain':
        return this.auditChain(request.pem);
      case 'get-settings':
        return this.settings();
      case 'set-settings':
        return this.setSettings(request.settings);
      case 'dont-warn-host': {
        const settings = await this.settings();
        return this.setSettings({ exceptions: [...new Set([...settings.exceptions, request.host.toLowerCase()])] });
      }
      case 'get-log-list-info':
        return this.logListInfo();
      case 'get-tree-heads': {
        const store = new StorageHeadStore(this.api.local);
        const ids = request.logIds.slice(0, 64);
        const [heads, splitViews] = await Promise.all([
          Promise.all(ids.map(async (id) => [id, await store.load(id)] as const)),
          Promise.all(ids.map(async (id) => [id, await store.loadSplitViews(id)] as const)),
        ]);
        return { heads: Object.fromEntries(heads), splitViews: Object.fromEntries(splitViews) };
      }
      case 'check-inclusion':
        return this.checkInclusion(request.tabId);
      case 'audit-inclusion': {
        try {
          const chain = decodePem(request.pem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
          if (!chain.length) return { error: 'no CERTIFICATE block found' };
          return await this.auditInclusion(chain);
        } catch (e) {
          if (e instanceof PemError) return { error: e.message };
          throw e;
        }
      }
      case 'update-log-list':
        await this.logLists.update().catch(() => undefined); // the outcome is in the info
        return this.logListInfo();
      default:
        throw new Error(`unknown request type "${String((request as { type?: unknown }).type).slice(0, 40)}"`);
    }
  }
}
