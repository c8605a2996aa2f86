/**
 * The stale log list in the CLI (issue 8): the core's reason is neutral ("the log list is N days
 * old (over 70): log states may have changed"), and the CLI alone words the remedy, once, as its
 * own command; `ctlens loglist --json` judges staleness by the same rule as the report.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';

const real = (name: string) => fixturePath(`real/${name}`);
const CHAIN = ['verify', real('google-mail-leaf.pem'), '--issuer', real('google-mail-issuer.pem')];
const REMEDY = 'The log list is over 70 days old (or undated), so verdicts are unknown: run `ctlens loglist --update`.';

describe('a stale log list, in the CLI', () => {
  it('the verdict says what the rules lacked; the remedy is one line naming the command', async () => {
    // The bundled Google list is dated 2026-08-20T13:34:57Z: 102 days old on 2026-12-01.
    const { code, stdout } = await runCli([...CHAIN, '--at', '2026-12-01']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Chrome\s+unknown/);
    expect(stdout).toContain('- the log list is 102 days old (over 70): log states may have changed\n');
    expect(stdout).not.toMatch(/extension|options/i);
    expect(stdout.split(REMEDY)).toHaveLength(2);
  });

  it('no remedy when no verdict depends on the list (a CA certificate: CT does not apply)', async () => {
    const { stdout } = await runCli(['verify', real('google-mail-issuer.pem'), '--at', '2026-12-01']);
    expect(stdout).toMatch(/Chrome\s+not-applicable/);
    expect(stdout).toContain('days old, stale');
    expect(stdout).not.toContain('loglist --update');
  });

  it('the --json report keeps reasons as strings and adds their codes in details', async () => {
    const { stdout } = await runCli([...CHAIN, '--at', '2026-12-01', '--json']);
    const chrome = JSON.parse(stdout).policies.chrome;
    expect(chrome.reasons[0]).toBe('the log list is 102 days old (over 70): log states may have changed');
    expect(chrome.details[0]).toEqual({ code: 'log-list-stale', text: chrome.reasons[0] });
    expect(chrome.details.map((d: { text: string }) => d.text)).toEqual(chrome.reasons);
  });
});
