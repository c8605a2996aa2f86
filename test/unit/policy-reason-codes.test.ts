/**
 * Every policy reason carries a stable code beside its neutral text (src/policy/types.ts), and no
 * front end's remedy: the CLI and the extension each word "update the log list" their own way.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyName } from '../../src/policy/evaluate.js';
import type { PolicyResult, ReasonCode } from '../../src/policy/types.js';
import { COMMON_ROWS, DAY, runScenario, type Scenario } from '../support/policy-harness.js';

const NAMES: readonly PolicyName[] = ['chrome', 'apple', 'firefox'];

async function results(s: Omit<Scenario, 'name'>): Promise<Record<PolicyName, PolicyResult>> {
  return (await runScenario({ name: 'codes', ...s })).policies;
}

const codes = (r: PolicyResult): ReasonCode[] => r.details.map((d) => d.code);

/** `reasons` stays the JSON array of strings: the same texts, in the same order. */
function expectParallel(r: PolicyResult): void {
  expect(r.reasons).toEqual(r.details.map((d) => d.text));
}

describe('reason codes', () => {
  it('every reason of every common scenario has a code and its text, in step with `reasons`', async () => {
    for (const row of COMMON_ROWS) {
      const policies = await results(row);
      for (const name of NAMES) {
        const r = policies[name];
        expectParallel(r);
        const coded = r.details.every((d) => typeof d.code === 'string' && d.code.length > 0);
        expect(coded, `${row.name}: ${name}`).toBe(true);
      }
    }
  });

  it("a stale list: log-list-stale first, the rules' own reasons after it, no CLI or extension remedy", async () => {
    const policies = await results({ embedded: ['A1'], listAge: 71 * DAY });
    for (const name of NAMES) {
      const r = policies[name];
      expect(r.verdict).toBe('unknown');
      expect(r.wouldBe).toBe('not-compliant');
      expect(codes(r)[0]).toBe('log-list-stale');
      expect(r.details[0]!.text).toBe('the log list is 71 days old (over 70): log states may have changed');
      expect(codes(r)).toContain('too-few-logs');
      expectParallel(r);
    }
    expect(JSON.stringify(policies)).not.toMatch(/ctlens loglist|--update|options/i);
  });

  it('names what the rules lacked: logs, operators, a log approved now, an RFC 6962 log', async () => {
    const one = await results({ embedded: ['A1'] });
    expect(codes(one.chrome)).toEqual(['too-few-logs', 'too-few-operators']);
    expect(codes(one.firefox)).toEqual(['too-few-logs', 'too-few-operators']);
    expect(codes((await results({ embedded: ['A1', 'A3'] })).chrome)).toEqual(['too-few-operators']);
    expect(codes((await results({ embedded: ['A3', 'B4'] })).chrome)).toEqual(['no-current-log']);
    expect(codes((await results({ embedded: ['A2', 'B2'] })).chrome)).toEqual(['no-rfc6962-log']);
    expect(codes((await results({ embedded: [] })).chrome)).toEqual(['no-scts']);
    const pending = (await results({ embedded: ['A1', 'C2'] })).chrome;
    expect(codes(pending)).toEqual(['too-few-logs', 'too-few-operators', 'logs-not-counted']);
    expect(codes((await results({ embedded: ['A1', 'X'] })).firefox)).toContain('unknown-logs');
    expect(codes((await results({ embedded: ['A1'], ocsp: ['B1'] })).chrome)).toContain('ocsp-not-counted');
    const long = (await results({ embedded: ['A1', 'B1'], lifetime: 400 * DAY })).apple;
    expect(codes(long)).toEqual(['lifetime-too-long']);
  });

  it("not applicable and unchecked: private roots are the front ends' to word, by code", async () => {
    const pre = await results({ leaf: 'precertificate' });
    expect(NAMES.map((n) => codes(pre[n]))).toEqual([['precertificate'], ['precertificate'], ['precertificate']]);
    expect(codes((await results({ leaf: 'ca' })).apple)).toEqual(['ca-certificate']);
    const unchecked = await results({ embedded: ['A1', 'B1'], chain: 'leaf-only' });
    expect(unchecked.chrome.verdict).toBe('unknown');
    expect(codes(unchecked.chrome)[0]).toBe('unchecked-scts');
  });
});
