/** The badge's one verdict (src/summary.ts), from reports the core built. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report.js';
import { summarize } from '../../src/summary.js';

const policy = (verdict: string, reasons: string[] = []) =>
  ({ verdict, reasons }) as unknown as Report['policies']['chrome'];
const report = (
  scts: { status: string }[],
  chrome: Report['policies']['chrome'],
  extra: Partial<Report> = {},
): Report =>
  ({
    sctList: scts.length ? 'ok' : 'absent',
    scts,
    policies: { chrome, apple: chrome, firefox: chrome },
    ...extra,
  }) as unknown as Report;

describe('summarize', () => {
  it('green only when every SCT is valid and the policy is met', () => {
    expect(summarize(report([{ status: 'valid' }, { status: 'valid' }], policy('compliant')), 'chrome')).toMatchObject({
      level: 'ok',
    });
    expect(
      summarize(report([{ status: 'valid' }, { status: 'unknown-log' }], policy('compliant')), 'chrome'),
    ).toMatchObject({ level: 'unknown' });
  });

  it('red for missing SCTs even when a stale list makes the policy verdict unknown', () => {
    expect(summarize(report([], policy('unknown', ['the log list is 93 days old'])), 'chrome')).toMatchObject({
      level: 'alert',
      warning: 'no-scts',
    });
  });

  it('grey for missing SCTs when the browser saw compliant SCTs by TLS or OCSP', () => {
    const s = summarize(report([], policy('not-compliant')), 'chrome', {
      browser: 'firefox',
      status: 'policy_compliant',
      compliant: true,
    });
    expect(s).toMatchObject({ level: 'unknown', title: expect.stringContaining('TLS or OCSP') });
    expect(s.warning).toBeUndefined();
  });

  it('red for an invalid SCT whatever the policy says; grey when the policy is unknown or not applicable', () => {
    expect(
      summarize(report([{ status: 'valid' }, { status: 'invalid-signature' }], policy('compliant')), 'chrome'),
    ).toMatchObject({ level: 'alert', warning: 'invalid-sct' });
    expect(summarize(report([{ status: 'valid' }], policy('unknown', ['stale'])), 'chrome')).toMatchObject({
      level: 'unknown',
    });
    expect(summarize(report([], policy('not-applicable', ['private root'])), 'chrome')).toMatchObject({
      level: 'unknown',
      title: 'CT does not apply: private root',
    });
  });

  it('red for a failed policy, naming it', () => {
    expect(
      summarize(report([{ status: 'valid' }], policy('not-compliant', ['1 log operator, 2 needed'])), 'apple'),
    ).toMatchObject({
      level: 'alert',
      warning: 'policy-failed',
      title: 'Apple CT policy not met: 1 log operator, 2 needed',
    });
  });
});
