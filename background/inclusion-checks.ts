/**
 * Proving inclusion: asking each log for a proof that it included the entry an SCT promised
 * (RFC 9162 §2.1.3), which tells the log operators which certificate the user looks at. Only on
 * request ("Check inclusion", the audit page) or, opted in, automatically once a day.
 */
import { proveInclusion, lastingReaders } from '../src/inclusion/prove-inclusion.js';
import { fromBase64 } from '../src/bytes.js';
import { decide } from '../src/check.js';
import { LogHttp } from '../src/logclient/http.js';
import type { Report } from '../src/report.js';
import { parseWitnessPolicy, PolicyError, type WitnessPolicy } from '../src/witness/policy.js';
import { CertificateError } from '../src/x509/certificate.js';
import type { BrowserApi } from './browser-api.js';
import { StorageHeadStore } from './head-store.js';
import type { ExtensionLogLists } from './log-lists.js';
import type { InclusionState, TabState, TreeHeadsSeen } from './messages.js';
import { OncePerPeriod } from './once-per-period.js';
import type { Settings } from './settings.js';
import type { TabStates } from './tab-state.js';
import { UserFacingError } from './user-facing-error.js';

/** The opt-in automatic inclusion check: once a day per certificate, for at most this many certificates. */
const AUTO_PERIOD_MS = 86_400_000;
const MAX_AUTO_CHECKED = 500;
const AUTO_CHECKED_KEY = 'autoInclusionChecked';
/** The most logs one get-tree-heads request asks about. */
const MAX_LOG_IDS = 64;

/** The witness policy of the settings (Options checks it before saving; a stored one may still be bad). */
function witnessPolicy(text: string | null): { policy?: WitnessPolicy; problem?: string } {
  if (text === null) return {};
  try {
    return { policy: parseWitnessPolicy(text) };
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return { problem: `The witness policy in Options is not used: ${e.message}` };
  }
}

export class InclusionChecks {
  /** The automatic check's once-a-day limit per certificate, in storage.local: it outlives the worker. */
  private readonly autoChecked: OncePerPeriod;
  private autoQueue: Promise<void> = Promise.resolve();
  /** One HTTP client and one reader per log for the worker's life: tiles fetched once serve every later audit. */
  private readonly logHttp = new LogHttp();
  private readonly readers = lastingReaders();

  constructor(
    private readonly api: BrowserApi,
    private readonly tabs: TabStates,
    private readonly logLists: ExtensionLogLists,
    private readonly settings: () => Promise<Settings>,
  ) {
    this.autoChecked = new OncePerPeriod(api.local, AUTO_CHECKED_KEY, api.now, AUTO_PERIOD_MS, MAX_AUTO_CHECKED);
  }

  /**
   * "Check inclusion" for the tab's verdict: the proofs are kept in the tab's state. Throws
   * UserFacingError when the tab has no verdict to prove.
   */
  async checkTab(tabId: number): Promise<TabState> {
    const state = await this.tabs.get(tabId);
    if (state?.phase !== 'done' || !state.chain?.length) {
      throw new UserFacingError('check this site first: there is no verdict yet');
    }
    const inclusion = await this.prove(state.chain.map((b) => fromBase64(b)));
    const next = (await this.tabs.update(tabId, state.host, { inclusion })) ?? state;
    if (inclusion.alerts.length) await this.warnSplitView(state.host, inclusion);
    return next;
  }

  /**
   * The inclusion proofs of a chain's valid SCTs, leaf first (the audit page, and checkTab).
   * Throws UserFacingError for a certificate that does not parse.
   */
  async prove(chain: readonly Uint8Array[]): Promise<InclusionState> {
    const [{ registry }, settings] = await Promise.all([this.logLists.registry(), this.settings()]);
    const at = this.api.now();
    try {
      const { verification } = await decide({ chain, registry, at });
      const store = new StorageHeadStore(this.api.local);
      const { policy, problem } = witnessPolicy(settings.witnessPolicy);
      const audit = await proveInclusion(verification, {
        store,
        at,
        http: this.logHttp,
        readerFor: this.readers,
        ...(policy ? { witnessPolicy: policy } : {}),
      });
      const { inclusion: results, alerts, misbehaved } = audit;
      const notes = problem ? [problem, ...audit.notes] : audit.notes;
      return { results, alerts, notes, misbehaved, checkedAt: new Date(at).toISOString() };
    } catch (e) {
      if (e instanceof CertificateError) throw new UserFacingError(e.message);
      throw e;
    }
  }

  /** What the worker kept for the logs asked about: their verified tree heads and split views. */
  async treeHeadsSeen(logIds: readonly string[]): Promise<TreeHeadsSeen> {
    const store = new StorageHeadStore(this.api.local);
    const ids = logIds.slice(0, MAX_LOG_IDS);
    const [heads, splitViews] = await Promise.all([
      Promise.all(ids.map(async (id) => [id, await store.load(id)] as const)),
      Promise.all(ids.map(async (id) => [id, await store.loadSplitViews(id)] as const)),
    ]);
    return { heads: Object.fromEntries(heads), splitViews: Object.fromEntries(splitViews) };
  }

  /**
   * The opt-in automatic inclusion check: once the SCTs are older than their logs' MMD, at most
   * once a day per certificate, one check at a time. Failures stay in the tab (never thrown).
   */
  async autoCheck(tabId: number, report: Report): Promise<void> {
    const now = this.api.now();
    const pastMmd = (s: Report['scts'][number]) => (s.timestamp ?? now) + (s.log?.mmd ?? 86_400) * 1000 <= now;
    const ripe = report.scts.every((s) => s.status !== 'valid' || pastMmd(s));
    if (!ripe || !report.scts.some((s) => s.status === 'valid')) return;
    // A limit that cannot be read or kept means no request: each one tells the logs what is visited.
    if (!(await this.autoChecked.claim(report.certificate.sha256).catch(() => false))) return;
    this.autoQueue = this.autoQueue.then(() =>
      this.checkTab(tabId).then(
        () => undefined,
        () => undefined,
      ),
    );
    await this.autoQueue;
  }

  /**
   * A split view is the loudest warning: always notified, whatever the warning settings, when it is
   * caught. One kept from an earlier audit (`earlier`) was notified then; the badge and popup keep showing it.
   */
  private async warnSplitView(host: string, inclusion: InclusionState): Promise<void> {
    for (const alert of inclusion.alerts.filter((a) => !a.earlier)) {
      const id = `ctlens:split-view:${alert.logId}:${alert.evidence[1].treeSize}`;
      await this.api.notify(
        id,
        `ctlens: SPLIT VIEW in ${alert.log}`,
        `The log showed two different histories ` +
          `(${alert.detail}) while checking ${host}. Export the report from the popup: it holds both signed tree ` +
          'heads as evidence.',
      );
    }
  }
}
