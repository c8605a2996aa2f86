/**
 * The CLI and mimic logs: `ctlens verify --log-list` with a mimic log given on purpose marks its
 * SCT (`scts[].log.mimic`) and never counts it; `ctlens loglist` lists the mimic logs in use.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLogLists } from '../../src/cli/render-text.js';
import { terminal } from '../../src/cli/terminal.js';
import type { LogRegistry } from '../../src/loglist/registry.js';
import { encodePem } from '../../src/pem.js';
import { toBase64 } from '../../src/bytes.js';
import { runCli } from '../support/cli.js';
import { mimicTestLog, PUBLISHED_MIMIC_IDS, usableLogsJson, usableLogsRegistry } from '../support/mimic-logs.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts } from '../support/test-pki.js';

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
      { 'Op A': [createTestLog('Log A')], 'Op M': [mimicTestLog('mimic1', 'Mimic One')] },
      AT - 86_400_000,
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

describe('ctlens verify with a mimic log given on purpose', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-mimic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const DAY = 86_400_000;
  const issued = AT - 9 * DAY;

  /** A chain whose leaf embeds SCTs from Log A, Log B and mimic1, and a --log-list naming all three. */
  async function files(): Promise<{ chain: string; list: string }> {
    const [a, b, mimic] = [createTestLog('Log A'), createTestLog('Log B'), mimicTestLog('mimic1', 'Mimic One')];
    const ca = await createTestCa();
    const cert = await issueWithEmbeddedScts(ca, {
      notBefore: issued,
      notAfter: issued + 90 * DAY,
      logs: [a, mimic, b].map((log) => ({ log, timestamp: issued })),
    });
    const chain = join(dir, 'chain.pem');
    writeFileSync(chain, [cert.der, ca.der].map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
    const list = join(dir, 'list.json');
    writeFileSync(list, usableLogsJson({ 'Op A': [a], 'Op B': [b], 'Op M': [mimic] }, AT - DAY));
    return { chain, list };
  }

  it('--json: the SCT valid, its log marked mimic, not counted; the others make Chrome compliant', async () => {
    const { chain, list } = await files();
    const at = new Date(AT).toISOString();
    const { code, stdout } = await runCli(['verify', chain, '--log-list', list, '--at', at, '--json']);
    const report = JSON.parse(stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid', 'valid']);
    expect(report.scts[1].log).toMatchObject({ description: 'Mimic One', mimic: true });
    expect(report.scts[0].log.mimic).toBeUndefined();
    expect(report.policies.chrome.verdict).toBe('compliant');
    expect(report.policies.chrome.summary).toMatch(/^2 embedded SCTs .*; 1 SCT not counted, from Google's mimic logs/);
    expect(code).toBe(0);
  });

  it("text: the mimic SCT's row says so", async () => {
    const { chain, list } = await files();
    const { stdout } = await runCli(['verify', chain, '--log-list', list, '--at', new Date(AT).toISOString()]);
    const lines = stdout.split('\n');
    const row = lines.findIndex((l) => l.includes('Mimic One'));
    const said = /mimic log: its private key is public, so this SCT proves nothing and counts for no policy/;
    expect(lines[row + 1]).toMatch(said);
  });
});
