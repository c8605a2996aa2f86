/**
 * From a chain the browser handed over to a report, summary, badge and (maybe) a warning: the
 * one path the Firefox reader, the Chromium check and the audit page share.
 *
 * The report comes whole, names and SANs included (src/x509/describe.ts reads them in
 * microseconds; until 2026-12 pkijs did, and the verdict came first with the names after it).
 */
import type { Bytes } from '../src/bytes.js';
import { decide } from '../src/check.js';
import { buildReport, type Report } from '../src/report.js';
import { summarize, type BrowserCtVerdict, type Summary } from '../src/summary.js';
import type { DeliveredSct } from '../src/verify/verify-scts.js';
import type { BrowserApi } from './browser-api.js';
import type { ExtensionLogLists } from './log-lists.js';
import type { Settings } from './settings.js';
import { VerdictCache } from './verdict-cache.js';

export interface ChainInput {
  readonly chain: readonly Bytes[];
  readonly delivered?: readonly DeliveredSct[];
  /** False when the browser says the root is not publicly trusted; undefined when it does not say. */
  readonly publiclyTrusted?: boolean;
  readonly browserVerdict?: BrowserCtVerdict;
  /** How the chain was put together, for the report's notes (Chromium's leaf with the issuer found). */
  readonly notes?: readonly string[];
}

export interface Checked {
  readonly report: Report;
  readonly summary: Summary;
}

export class Checker {
  constructor(
    private readonly api: BrowserApi,
    private readonly logLists: ExtensionLogLists,
    private readonly cache: VerdictCache,
    private readonly settings: () => Promise<Settings>,
    /** Told every chain checked, after its verdict: the issuers it holds are kept (issuer-store.ts). */
    private readonly seen: (chain: readonly Bytes[]) => void = () => undefined,
  ) {}

  /** Reads what the first verdict would otherwise wait for. */
  warmUp(): Promise<void> {
    return this.cache.warmUp();
  }

  /** The verdict (from the cache when the same chain was checked within the hour). */
  async check(input: ChainInput): Promise<Checked> {
    const [settings, { registry, logsDigest }] = await Promise.all([this.settings(), this.logLists.registry()]);
    // A private root is checked only when the user asked for it; otherwise its policies are not-applicable.
    const publiclyTrusted =
      input.publiclyTrusted === false && settings.checkPrivateRoots ? undefined : input.publiclyTrusted;
    const delivered = input.delivered ?? [];
    const at = this.api.now();
    // What decides the report: the logs (the extra logs of the settings included), the day it is
    // judged on (log states and the list's age change by the day), and the root's trust (the
    // private-roots setting). The badge's policy is applied after, in summarize().
    const day = new Date(at).toISOString().slice(0, 10);
    const context = `logs=${logsDigest}|day=${day}|publiclyTrusted=${publiclyTrusted}`;
    const key = VerdictCache.key(
      input.chain,
      delivered.map((d) => d.bytes),
      context,
    );
    let report = await this.cache.get(key);
    if (!report) {
      const { verification, policies } = await decide({ chain: input.chain, delivered, registry, at, publiclyTrusted });
      report = buildReport(verification, policies, registry);
      await this.cache.set(key, report);
    }
    this.seen(input.chain);
    // Notes about how the chain was put together are the input's, not the cached verdict's.
    const decided = report;
    const extra = (input.notes ?? []).filter((n) => !decided.notes.includes(n));
    if (extra.length) report = { ...decided, notes: [...decided.notes, ...extra] };
    return { report, summary: summarize(report, settings.badgePolicy, input.browserVerdict) };
  }
}
