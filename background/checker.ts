/**
 * From a chain the browser handed over to a report, summary, badge and (maybe) a warning: the
 * one path the Firefox reader, the Chromium check and the audit page share.
 */
import type { Bytes } from '../src/bytes.js';
import { check } from '../src/check.js';
import type { Report } from '../src/report.js';
import { summarize, type BrowserCtVerdict, type Summary } from '../src/summary.js';
import type { DeliveredSct } from '../src/verify/verify-chain.js';
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
}

export class Checker {
  constructor(
    private readonly api: BrowserApi,
    private readonly logLists: ExtensionLogLists,
    private readonly cache: VerdictCache,
    private readonly settings: () => Promise<Settings>,
  ) {}

  async check(input: ChainInput): Promise<{ report: Report; summary: Summary }> {
    const [settings, { registry, generation }] = await Promise.all([this.settings(), this.logLists.registry()]);
    // A private root is checked only when the user asked for it; otherwise its policies are not-applicable.
    const publiclyTrusted = input.publiclyTrusted === false && settings.checkPrivateRoots ? undefined : input.publiclyTrusted;
    const delivered = input.delivered ?? [];
    const key = VerdictCache.key(input.chain, delivered.map((d) => d.bytes), `${generation}|${publiclyTrusted}`);
    let report = await this.cache.get(key);
    if (!report) {
      report = await check({ chain: input.chain, delivered, registry, at: this.api.now(), publiclyTrusted });
      await this.cache.set(key, report);
    }
    return { report, summary: summarize(report, settings.badgePolicy, input.browserVerdict) };
  }
}
