/**
 * Recording a tab's verdict: from a chain the browser handed over (Firefox's reader, the
 * Chromium check) to the tab's state, badge, warning and, when opted in, the automatic
 * inclusion check. The one path both browsers share after reading a chain.
 */
import { toBase64 } from '../src/bytes.js';
import type { Report } from '../src/report.js';
import type { Checker, ChainInput, Checked } from './checker.js';
import type { TabState } from './messages.js';
import type { Settings } from './settings.js';
import { hostOf, type TabStates } from './tab-state.js';
import type { Warner } from './warnings.js';

/** The most sub-frame sites kept per tab (the latest). */
const MAX_FRAMES = 20;

export type Frame = 'main_frame' | 'sub_frame';

/** Timings for the cold-start measurement (ms on the worker's performance clock). */
export interface WorkerMetrics {
  /** When the worker's own code started running (its first module), and when its top-level code finished. */
  startedAt?: number;
  readyAt?: number;
  /** The first verdict: when its chain arrived, and when the verdict was recorded. */
  firstCheck?: { readonly receivedAt: number; readonly doneAt: number };
  checks: number;
}

export interface TabVerdictsParts {
  readonly tabs: TabStates;
  readonly checker: Checker;
  readonly warner: Warner;
  readonly settings: () => Promise<Settings>;
  /** The opt-in automatic inclusion check of a main frame's recorded verdict (not awaited). */
  readonly autoInclusion: (tabId: number, report: Report) => Promise<void>;
}

export class TabVerdicts {
  readonly metrics: WorkerMetrics = { checks: 0 };

  constructor(private readonly parts: TabVerdictsParts) {}

  /**
   * Checks `input` and records the verdict for the tab (main frame) or among its frames (sub
   * frame). A chain that cannot be read is the main frame's error; a sub frame's is dropped.
   */
  async record(tabId: number, url: string, input: ChainInput, frame: Frame): Promise<TabState | undefined> {
    const receivedAt = performance.now();
    this.metrics.checks++;
    return this.recordUntimed(tabId, url, input, frame, () => {
      this.metrics.firstCheck ??= { receivedAt, doneAt: performance.now() };
    });
  }

  /** `onVerdict` runs once the verdict is recorded (badge set). */
  private async recordUntimed(
    tabId: number,
    url: string,
    input: ChainInput,
    frame: Frame,
    onVerdict: () => void,
  ): Promise<TabState | undefined> {
    const { tabs, checker, warner } = this.parts;
    const host = hostOf(url);
    let checked: Checked;
    try {
      checked = await checker.check(input);
    } catch (e) {
      if (frame !== 'main_frame') return undefined;
      const error = `the certificate could not be read: ${(e as Error).message}`;
      return tabs.update(tabId, host, { url, phase: 'error', error });
    }
    const { summary } = checked;
    const settings = await this.parts.settings();
    if (frame === 'sub_frame') {
      await warner.maybeWarn(settings, host, checked.report.certificate.sha256, summary);
      const state = await tabs.get(tabId);
      if (!state) return undefined;
      const others = (state.frames ?? []).filter((f) => f.host !== host);
      const frames = [...others, { host, level: summary.level, title: summary.title }];
      return tabs.update(tabId, state.host, { frames: frames.slice(-MAX_FRAMES) });
    }
    const chain = input.chain.map((der) => toBase64(der));
    const sameChain = (await tabs.get(tabId))?.chain?.join() === chain.join();
    const recorded = await tabs.update(tabId, host, {
      url,
      phase: 'done',
      report: checked.report,
      summary,
      browserVerdict: input.browserVerdict,
      error: undefined,
      chain,
      ...(sameChain ? {} : { inclusion: undefined }),
    });
    onVerdict();
    await warner.maybeWarn(settings, host, checked.report.certificate.sha256, summary);
    if (recorded && settings.autoInclusion) void this.parts.autoInclusion(tabId, checked.report);
    return recorded;
  }
}
