/**
 * The messages between the extension's pages (popup, audit, options) and its worker. The worker
 * decides everything; pages only show what it sends.
 */
import type { Report } from '../src/report.js';
import type { BrowserCtVerdict, Summary } from '../src/summary.js';
import type { ChromiumModeInfo } from './chromium-automatic-mode.js';
import type { Settings } from './settings.js';
import type { InclusionResult } from '../src/inclusion/prove-sct.js';
import type { SplitViewAlert, StoredHead } from '../src/inclusion/tree-heads.js';

/** The inclusion proofs of a tab's SCTs (issue: logs keep their promises), when the user asked for them. */
export interface InclusionState {
  /** One per SCT of the report, in order. */
  readonly results: readonly InclusionResult[];
  readonly alerts: readonly SplitViewAlert[];
  readonly notes: readonly string[];
  readonly misbehaved: boolean;
  readonly checkedAt: string;
}

/** What the worker kept for the logs asked about (by log id): the tree heads seen, the split views caught. */
export interface TreeHeadsSeen {
  readonly heads: Record<string, readonly StoredHead[]>;
  /** Both signed heads of each split view, kept until the user removes them (src/inclusion/tree-heads.ts). */
  readonly splitViews: Record<string, readonly SplitViewAlert[]>;
}

/** What the worker knows about one tab. */
export interface TabState {
  readonly tabId: number;
  readonly url: string;
  readonly host: string;
  /**
   * - idle: nothing checked yet (Chromium before "Check this site")
   * - checking: a check is running
   * - done: `report` and `summary` hold the result
   * - insecure: not HTTPS; nothing to check
   * - error: `error` says what went wrong
   */
  readonly phase: 'idle' | 'checking' | 'done' | 'insecure' | 'error';
  readonly report?: Report;
  readonly summary?: Summary;
  /** The browser's own CT verdict, when it gives one. */
  readonly browserVerdict?: BrowserCtVerdict;
  readonly error?: string;
  /** The chain checked, base64 DER, leaf first (for the inclusion proofs). */
  readonly chain?: readonly string[];
  readonly inclusion?: InclusionState;
  /** Sub-frames from other sites checked in this tab (Firefox), latest last. */
  readonly frames?: readonly { readonly host: string; readonly level: Summary['level']; readonly title: string }[];
  /** ms. */
  readonly updatedAt: number;
}

export interface LogListInfo {
  readonly sources: Report['logList']['sources'];
  readonly timestamp: string | null;
  readonly ageDays: number | null;
  readonly stale: boolean;
  readonly logs: number;
  /** When the last update was fetched, ISO; null when never. */
  readonly lastUpdate: string | null;
  /** Why the last update failed, when it did. */
  readonly lastUpdateError: string | null;
  /** Problems with the extra logs in the options. */
  readonly extraLogProblems: readonly string[];
}

/**
 * check-tab / check-pasted-chain: the SCTs and policies of the tab's chain / of a chain pasted on
 * the audit page; check-inclusion / check-pasted-inclusion: the logs' inclusion proofs for them.
 */
export type Request =
  | { readonly type: 'get-tab-state'; readonly tabId: number }
  | { readonly type: 'check-tab'; readonly tabId: number }
  | { readonly type: 'check-pasted-chain'; readonly pem: string }
  | { readonly type: 'get-settings' }
  | { readonly type: 'set-settings'; readonly settings: Partial<Settings> }
  | { readonly type: 'dont-warn-host'; readonly host: string }
  | { readonly type: 'get-log-list-info' }
  | { readonly type: 'update-log-list' }
  | { readonly type: 'check-inclusion'; readonly tabId: number }
  | { readonly type: 'check-pasted-inclusion'; readonly pem: string }
  | { readonly type: 'get-tree-heads'; readonly logIds: readonly string[] }
  | { readonly type: 'get-chromium-mode' };

export type Response<R extends Request> = R extends { type: 'get-tab-state' }
  ? TabState | null
  : R extends { type: 'check-tab' }
    ? TabState
    : R extends { type: 'check-pasted-chain' }
      ? { readonly report: Report; readonly summary: Summary }
      : R extends { type: 'check-inclusion' }
        ? TabState
        : R extends { type: 'check-pasted-inclusion' }
          ? InclusionState
          : R extends { type: 'get-tree-heads' }
            ? TreeHeadsSeen
            : R extends { type: 'get-chromium-mode' }
              ? ChromiumModeInfo
              : R extends { type: 'get-settings' | 'set-settings' | 'dont-warn-host' }
                ? Settings
                : R extends { type: 'get-log-list-info' | 'update-log-list' }
                  ? LogListInfo
                  : never;

/**
 * Every reply is wrapped, so an error in the worker reaches the page as text, never as silence:
 * a UserFacingError's message as it is, any other error worded as unexpected (message-handlers.ts).
 */
export type Reply<R extends Request> =
  | { readonly ok: true; readonly value: Response<R> }
  | { readonly ok: false; readonly error: string };
