/**
 * The extension's words (popup/verdict-words.ts, popup/browser-verdict.ts): sentences, never the
 * browsers' API words or the CLI's commands, from verdicts the real policy pipeline decided.
 */
import { describe, expect, it } from 'vitest';
import { firefoxVerdict } from '../../background/firefox-chain.js';
import { browserVerdictSentence } from '../../popup/browser-verdict.js';
import { logListAge, staleLine, verdictWord, wouldBeSentence } from '../../popup/verdict-words.js';
import type { Report } from '../../src/report.js';
import { DAY, runScenario, type Scenario } from '../support/policy-harness.js';

/** The parts of a report the words read: the policies as decided, the primary list's age. */
async function reportOf(s: Omit<Scenario, 'name'>, ageDays: number | null): Promise<Report> {
  const { policies } = await runScenario({ name: 'words', ...s });
  const logList = { sources: [], timestamp: null, ageDays, stale: ageDays === null || ageDays > 70 };
  return { policies, logList } as unknown as Report;
}

const RAW = /not_applicable|policy_|not-compliant|ctlens loglist|--update/;

describe('the stale log list, in words', () => {
  it('names the verdicts it leaves unknown, and what an update would likely give', async () => {
    const report = await reportOf({ embedded: ['A1', 'B1', 'C1'], listAge: 104 * DAY }, 104);
    expect(staleLine(report)).toBe(
      'The log list is 104 days old (over 70): the Chrome, Apple and Firefox verdicts are unknown until it is updated.',
    );
    expect(wouldBeSentence('chrome', report.policies.chrome)).toBe(
      "After a log list update, Chrome's verdict would likely be compliant (if the logs' states are unchanged).",
    );
    const few = await reportOf({ embedded: ['A1'], listAge: 71 * DAY }, 71);
    expect(wouldBeSentence('apple', few.policies.apple)).toBe(
      "After a log list update, Apple's verdict would likely be not compliant (if the logs' states are unchanged).",
    );
    expect(`${staleLine(few)} ${wouldBeSentence('apple', few.policies.apple)}`).not.toMatch(RAW);
  });

  it('says so when no verdict depends on it, and words an undated list', async () => {
    const pre = await reportOf({ leaf: 'precertificate' }, 90);
    expect(staleLine(pre)).toBe('The log list is 90 days old (over 70); no verdict here depends on it.');
    expect(logListAge(null)).toBe('The log list has no date');
    expect(logListAge(1)).toBe('The log list is 1 day old (over 70)');
  });

  it('an unknown verdict from SCTs that could not be checked is not about the list', async () => {
    const report = await reportOf({ embedded: ['A1', 'B1'], chain: 'leaf-only' }, 90);
    expect(report.policies.chrome.verdict).toBe('unknown');
    expect(staleLine(report)).toBe('The log list is 90 days old (over 70); no verdict here depends on it.');
    expect(wouldBeSentence('chrome', report.policies.chrome)).toBe(
      "Counting only the SCTs that could be checked, Chrome's verdict would be not compliant.",
    );
    expect(wouldBeSentence('chrome', (await reportOf({ embedded: ['A1', 'B1'] }, 1)).policies.chrome)).toBeUndefined();
  });

  it('verdicts and statuses as words', () => {
    expect(['compliant', 'not-compliant', 'not-applicable', 'invalid-signature'].map(verdictWord)).toEqual([
      'compliant',
      'not compliant',
      'not applicable',
      'invalid signature',
    ]);
  });
});

describe("the browser's own verdict, in a sentence", () => {
  const firefox = (status: string, isBuiltInRoot?: boolean) => {
    const certificates = [{ rawDER: [48] }, { rawDER: [48], isBuiltInRoot }];
    const info = { state: 'secure', certificateTransparencyStatus: status, certificates };
    return browserVerdictSentence(firefoxVerdict(info)!);
  };

  it("words each of Firefox's certificateTransparencyStatus values", () => {
    expect(firefox('not_applicable', false)).toBe(
      'Firefox did not check CT for this site: its root is not a public one.',
    );
    expect(firefox('not_applicable', true)).toBe(
      'Firefox did not check CT for this site, although its root is a public one.',
    );
    expect(firefox('not_applicable')).toBe('Firefox did not check CT for this site.');
    expect(firefox('policy_compliant', true)).toBe("Firefox's own check: the SCTs it received meet its CT policy.");
    expect(firefox('policy_not_enough_scts', true)).toBe("Firefox's own check: too few SCTs for its CT policy.");
    expect(firefox('policy_not_diverse_scts', true)).toBe(
      "Firefox's own check: the SCTs are not from enough different log operators for its CT policy.",
    );
    for (const s of ['not_applicable', 'policy_compliant', 'policy_not_enough_scts', 'policy_not_diverse_scts']) {
      expect(firefox(s, false)).not.toMatch(RAW);
    }
  });

  it("words each of Chromium's certificateTransparencyCompliance values", () => {
    const chromium = (status: string) =>
      browserVerdictSentence({ browser: 'chromium', status, compliant: status === 'compliant' });
    expect(chromium('compliant')).toBe("Chromium's own check: the SCTs it received meet its CT policy.");
    expect(chromium('not-compliant')).toBe("Chromium's own check: the SCTs it received do not meet its CT policy.");
    expect(chromium('unknown')).toBe(
      'Chromium did not check CT for this site: most likely its root is not a public one.',
    );
  });

  it('quotes a status neither browser documents, as text', () => {
    expect(firefox('policy_something_new', true)).toBe(
      'Firefox gave a CT status ctlens does not know: "policy_something_new".',
    );
    const partly = browserVerdictSentence({ browser: 'chromium', status: 'partly', compliant: false });
    expect(partly).toBe('Chromium gave a CT status ctlens does not know: "partly".');
  });
});
