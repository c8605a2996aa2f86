/**
 * `ctlens audit --witness-policy <file>` (the CLI's main, in-process) against two of the project's
 * local logs as real static-ct-api logs (`tiled: true`: realistic checkpoints, gzip) on loopback,
 * one local witness watching both: the witnesses per SCT and the quorum in --json and the text;
 * the log showing the witness another tree than this client (`splitWitness`, `npm run log --
 * --split-witness`) is a split view with both signed notes, exit 3, kept for later audits; a
 * policy file that does not parse is exit 2 with one line naming the file and the line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { logVkey, LocalWitness } from '../../log/witness.js';
import { runCli } from '../support/cli.js';
import { beginIssuance, createTestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
let logs: LocalCtLog[];
let servers: LocalLogServer[];
let dir: string;
let pem: string;
let list: string;
let policy: string;

beforeAll(async () => {
  const ca = await createTestCa('ctlens CLI witness CA');
  const witness = new LocalWitness();
  logs = [1, 2].map((n) => new LocalCtLog({ tiled: true, description: `CLI Tiled Log ${n}` }));
  servers = await Promise.all(logs.map((log) => startLocalLog(log, { witness })));
  const times = { notBefore: now - DAY, notAfter: now + 60 * DAY };
  const pending = await beginIssuance(ca, { ...times, subject: 'cli-witnessed.example' });
  const leaf = await pending.finish(logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes));
  dir = mkdtempSync(join(tmpdir(), 'ctlens-cli-witness-'));
  pem = join(dir, 'chain.pem');
  writeFileSync(pem, [leaf.der, ca.der].map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
  list = join(dir, 'list.json');
  writeFileSync(
    list,
    JSON.stringify({
      version: '1.0',
      log_list_timestamp: new Date(now).toISOString(),
      operators: logs.map((log, i) => ({
        name: `Operator ${i}`,
        email: ['ct@ctlens.test'],
        logs: [],
        tiled_logs: [logListEntry(log, { url: servers[i]!.url, at: now - 30 * DAY })],
      })),
    }),
  );
  const logLines = logs.map((log, i) => `log ${logVkey(new URL(servers[i]!.url).host, log)}\n`).join('');
  policy = join(dir, 'policy.txt');
  const witnessLine = `witness w1 ${witness.vkey()} ${servers[0]!.witnessUrl}\n`;
  writeFileSync(policy, `# the local witness\n${logLines}${witnessLine}quorum w1\n`);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const audit = (state: string, ...more: string[]) =>
  runCli(['audit', pem, '--log-list', list, '--state-dir', join(dir, state), '--witness-policy', policy, ...more]);

describe('ctlens audit --witness-policy', () => {
  it('lists the witness behind each proof, quorum met: exit 0', async () => {
    for (const log of logs) log.misbehave = {};
    const out = await audit('honest', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    for (const sct of report.scts) {
      expect(sct.inclusion).toMatchObject({ status: 'included', quorum: 'met' });
      expect(sct.inclusion.witnesses).toEqual([
        expect.objectContaining({
          name: 'w1',
          cosignature: 'verified',
          latest: 'same',
          vouches: true,
        }),
      ]);
    }
    expect(report.alerts).toEqual([]);
    const text = await audit('honest');
    expect(text.stdout).toMatch(/witnesses: quorum met[^\n]*w1 cosigned/);
  });

  it('without the option: quorum no-policy, no witness', async () => {
    for (const log of logs) log.misbehave = {};
    const out = await runCli(['audit', pem, '--log-list', list, '--state-dir', join(dir, 'none'), '--json']);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.scts.map((s: { inclusion: unknown }) => s.inclusion)).toEqual(
      [1, 2].map(() => expect.objectContaining({ status: 'included', quorum: 'no-policy', witnesses: [] })),
    );
  });

  it('a log showing the witness another tree: a split view with both signed notes, exit 3, kept', async () => {
    for (const log of logs) log.misbehave = {};
    await fetch(new URL('checkpoint', servers[1]!.url)); // the witness cosigns log 2's honest tree
    logs[1]!.misbehave = { splitWitness: true };
    const out = await audit('split', '--json');
    logs[1]!.misbehave = {};
    expect(out.code).toBe(3);
    const report = JSON.parse(out.stdout);
    expect(report.scts[1].inclusion.quorum).toBe('not-met');
    expect(report.alerts).toEqual([
      expect.objectContaining({ type: 'split-view', log: 'CLI Tiled Log 2', witness: 'w1' }),
    ]);
    const [witnessed, shown] = report.alerts[0].evidence;
    expect([witnessed.from, shown.from]).toEqual(['witness w1', 'log']);
    expect(witnessed.note).not.toBe(shown.note);
    expect(witnessed.note).toMatch(/\n\n(\u2014 [^\n]+\n)+$/);
    // Kept with the log's split views, both notes in full: the log stays flagged in later audits.
    const files = readdirSync(join(dir, 'split', 'tree-heads')).filter((f) => f.endsWith('.split-views.json'));
    expect(files).toHaveLength(1);
    const kept = JSON.parse(readFileSync(join(dir, 'split', 'tree-heads', files[0]!), 'utf8')).splitViews;
    expect(kept).toEqual([expect.objectContaining({ witness: 'w1' })]);
    expect(kept[0].evidence.map((e: { note: string }) => e.note)).toEqual([witnessed.note, shown.note]);
    const again = await audit('split', '--json');
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout).alerts).toEqual([expect.objectContaining({ log: 'CLI Tiled Log 2' })]);
  });

  it('a policy file that does not parse: exit 2, one line naming the file and the line', async () => {
    const bad = join(dir, 'bad-policy.txt');
    writeFileSync(bad, 'witness w1 not-a-vkey\nquorum w1\n');
    const args = ['audit', pem, '--log-list', list, '--state-dir', join(dir, 'bad'), '--witness-policy', bad];
    const out = await runCli(args);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(`${bad}: line 1`);
  });
});
