/**
 * The 70-day rule in one place (src/loglist/freshness.ts): the age, staleness and reason code
 * the policies, the report, the worker's log list info and the CLI all read.
 */
import { describe, expect, it } from 'vitest';
import { logListFreshness } from '../../src/loglist/freshness.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { createTestLog, logListJson, type LogListEntry } from '../support/test-pki.js';

const DAY = 86_400_000;
const LISTED = Date.UTC(2026, 7, 20);
const googleLog = createTestLog('Freshness Google Log');
const privateLog = createTestLog('Freshness Private Log');
const entry = (log: LogListEntry['log']): LogListEntry => ({
  log,
  state: 'usable',
  stateSince: Date.UTC(2025, 0, 1),
  type: 'rfc6962',
});

/** A "signed" primary list dated `primary`, and optionally an extra unsigned list dated `extra`. */
function registry(primary: number | undefined, extra?: number): LogRegistry {
  const json = (timestamp: number, log: LogListEntry['log']) =>
    logListJson({ timestamp, operators: [{ name: 'Op', logs: [entry(log)] }] });
  const undated = () => json(0, googleLog).replace(/"log_list_timestamp": "[^"]*",/, '');
  const text = primary === undefined ? undated() : json(primary, googleLog);
  const lists = [{ list: parseLogList(text, 'primary'), signed: true }];
  if (extra !== undefined) lists.push({ list: parseLogList(json(extra, privateLog), 'extra'), signed: false });
  return new LogRegistry(lists);
}

describe('logListFreshness', () => {
  it('exactly 70 days old is fresh; a millisecond more is stale, with its code', () => {
    const r = registry(LISTED);
    expect(logListFreshness(r, LISTED + 70 * DAY)).toEqual({ timestamp: LISTED, ageDays: 70, stale: false });
    const stale = { timestamp: LISTED, ageDays: 70, stale: true, code: 'log-list-stale' };
    expect(logListFreshness(r, LISTED + 70 * DAY + 1)).toEqual(stale);
    expect(logListFreshness(registry(LISTED), LISTED + 95.5 * DAY)).toMatchObject({ ageDays: 95, stale: true });
  });

  it('a list dated after the evaluation time is fresh, with a negative age', () => {
    const early = logListFreshness(registry(LISTED), LISTED - 2 * DAY);
    expect(early).toEqual({ timestamp: LISTED, ageDays: -2, stale: false });
  });

  it('an undated list is stale: its freshness cannot be told', () => {
    const undated = { timestamp: undefined, ageDays: null, stale: true, code: 'log-list-undated' };
    expect(logListFreshness(registry(undefined), LISTED)).toEqual(undated);
  });

  it("an extra list's date vouches for its own logs only, never for the primary list", () => {
    const r = registry(LISTED, LISTED + 100 * DAY);
    const at = LISTED + 101 * DAY;
    const own = r.get(privateLog.logIdBase64)!;
    expect(logListFreshness(r, at)).toMatchObject({ timestamp: LISTED, stale: true });
    const ownOnly = logListFreshness(r, at, { logs: [own] });
    expect(ownOnly).toEqual({ timestamp: LISTED + 100 * DAY, ageDays: 1, stale: false });
    expect(logListFreshness(r, at, { logs: [own], primary: true })).toMatchObject({ timestamp: LISTED, stale: true });
    const both = [own, r.get(googleLog.logIdBase64)!];
    expect(logListFreshness(r, at, { logs: both })).toMatchObject({ ageDays: 101, stale: true });
  });
});
