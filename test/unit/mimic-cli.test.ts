/** The CLI and mimic logs: `ctlens loglist` lists the mimic logs in use (src/cli/render-text.ts). */
import { describe, expect, it } from 'vitest';
import { renderLogLists } from '../../src/cli/render-text.js';
import { terminal } from '../../src/cli/terminal.js';
import type { LogRegistry } from '../../src/loglist/registry.js';
import { mimicTestLog, PUBLISHED_MIMIC_IDS, usableLogsRegistry } from '../support/mimic-logs.js';
import { createTestLog } from '../support/test-pki.js';

const AT = Date.UTC(2026, 4, 10);

/** renderLogLists as written to a terminal without colour. */
function shown(registry: LogRegistry): string {
  let out = '';
  terminal({ stdout: (t) => (out += t), stderr: () => {} }, false).lines(renderLogLists(registry, AT));
  return out;
}

describe('ctlens loglist', () => {
  it('lists each mimic log found, with the list it came from', () => {
    const registry = usableLogsRegistry(
      { 'Op A': [createTestLog('Log A')], 'Op M': [mimicTestLog('mimic1', 'Mimic One')] }, AT - 86_400_000,
      [mimicTestLog('mimic2').spki],
    );
    const text = shown(registry);
    expect(text).toContain('2 mimic logs (private keys public): SCTs verify, never count:');
    expect(text).toContain(`  Mimic One (log id ${PUBLISHED_MIMIC_IDS.mimic1}, Google's mimic1), from test list\n`);
    expect(text).toContain(`(log id ${PUBLISHED_MIMIC_IDS.mimic2}, Google's mimic2), from extra key`);
  });

  it('says nothing of mimics when there are none', () => {
    const text = shown(usableLogsRegistry({ 'Op A': [createTestLog('Log A')] }, AT - 86_400_000));
    expect(text).not.toMatch(/mimic/i);
  });
});
