/**
 * How fresh the log list is at a time: the one place the 70-day rule lives. Log states change
 * (a log is retired, or rejected), so Chrome stops enforcing CT when its list is more than 70 days
 * old (ct_policy.html, "Log list freshness"); ctlens applies the same rule to all three policies:
 * a verdict from a stale list is `unknown`, never `not-compliant`.
 */
import { DAY_MS } from '../time.js';
import type { LogRegistry } from './registry.js';
import type { LogInfo } from './schema.js';

/** ct_policy.html: a list older than this many days at the evaluation time is stale. */
export const MAX_LOG_LIST_AGE_DAYS = 70;

interface LogListFreshness {
  /** The oldest list timestamp the judgement rests on (ms); undefined when one of them has none. */
  readonly timestamp: number | undefined;
  /** Whole days from that timestamp to the evaluation time (negative for a list dated after it); null when undated. */
  readonly ageDays: number | null;
  /** Older than MAX_LOG_LIST_AGE_DAYS, or undated: whether it is fresh cannot be told. */
  readonly stale: boolean;
  /** Why it is stale, as a reason code (PolicyResult.details): absent when fresh. */
  readonly code?: 'log-list-stale' | 'log-list-undated';
}

interface FreshnessScope {
  /**
   * Judge only what the registry says about these logs (LogRegistry.currentAsOf: an extra list's
   * date vouches for its own logs). Without them, the primary lists are judged.
   */
  readonly logs?: readonly LogInfo[];
  /** Judge the primary lists too, beside `logs`. */
  readonly primary?: boolean;
}

/** The freshness of the registry's lists at `at` (ms), for `scope` (default: the primary lists). */
export function logListFreshness(registry: LogRegistry, at: number, scope: FreshnessScope = {}): LogListFreshness {
  const logs = scope.logs ?? [];
  const times = logs.map((log) => registry.currentAsOf(log));
  if (logs.length === 0 || scope.primary) times.push(registry.primaryTimestamp);
  if (times.some((t) => t === undefined)) {
    return { timestamp: undefined, ageDays: null, stale: true, code: 'log-list-undated' };
  }
  const timestamp = Math.min(...(times as number[]));
  const age = at - timestamp;
  const stale = age > MAX_LOG_LIST_AGE_DAYS * DAY_MS;
  return { timestamp, ageDays: Math.floor(age / DAY_MS), stale, ...(stale ? { code: 'log-list-stale' as const } : {}) };
}
