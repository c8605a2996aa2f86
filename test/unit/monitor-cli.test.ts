/**
 * `ctlens monitor`'s options against the real local log: --watch-file, --authorize with a file
 * of a certificate (and so its precertificate) and of a public key, --exec (the finding's JSON on
 * the command's stdin; reported again when it fails), the human output, and bad usage (exit 2).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { runCli } from '../support/cli.js';
import { beginPair, issueCertificate } from '../support/monitor-certs.js';
import { monitorOnce, scratch, startMonitoredLog, type MonitoredLog } from '../support/monitor-log.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';

const tmp = scratch();
let ca: TestCa;
let local: MonitoredLog;
let mineFinal: Uint8Array;
let n = 0;
const stateDir = () => join(tmp.dir, `state-${n++}`);

beforeAll(async () => {
  ca = await createTestCa('ctlens monitor CLI CA');
  local = await startMonitoredLog(tmp.dir);
  const pair = await beginPair(ca, 'mine.watched.example');
  const sct = local.log.addPreChain([pair.precert, ca.der]);
  mineFinal = (await pair.finish([sct.bytes])).der;
  local.log.addChain([mineFinal, ca.der]);
  local.log.addChain([await issueCertificate(ca, { dns: ['theirs.watched.example'] }), ca.der]);
}, 60_000);
afterAll(async () => {
  await local.close();
  tmp.remove();
});

describe('ctlens monitor options', () => {
  it('--watch-file and --authorize with a certificate file: it and its precertificate are not reported', async () => {
    const watchFile = join(tmp.dir, 'watch.txt');
    writeFileSync(watchFile, '# mine\n.watched.example  # all of it\n');
    const authorized = join(tmp.dir, 'authorized.pem');
    writeFileSync(authorized, `# issued by us\n${encodePem('CERTIFICATE', mineFinal, toBase64)}`);
    const args = ['--watch-file', watchFile, '--authorize', authorized, '--log-list', local.listFile, '--from-start'];
    const run = await monitorOnce(args, stateDir());
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => l.names)).toEqual([['theirs.watched.example']]);
  });

  it('--authorize with a public key file: every certificate for that key is not reported', async () => {
    const der = await issueCertificate(ca, { dns: ['keyed.watched.example'] });
    const { parseCertificate } = await import('../../src/x509/certificate.js');
    const spki = parseCertificate(der).spki;
    const keyFile = join(tmp.dir, 'key.pem');
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    writeFileSync(keyFile, key.export({ type: 'spki', format: 'pem' }));
    const args = ['--watch', '.watched.example', '--authorize', keyFile, '--log-list', local.listFile, '--from-start'];
    const run = await monitorOnce(args, stateDir());
    // issueCertificate's leaves share one key (theirs.watched.example's too); beginPair's have another.
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => l.names)).toEqual([['mine.watched.example']]);
  });

  it('--exec gets each finding as JSON on stdin; a failing command has it reported again next time', async () => {
    const out = join(tmp.dir, 'exec-out.jsonl');
    const dir = stateDir();
    const args = ['--watch', 'theirs.watched.example', '--log-list', local.listFile, '--from-start'];
    const failing = await monitorOnce([...args, '--exec', `cat >> ${out}; exit 7`], dir);
    expect(failing.code).toBe(0);
    expect(failing.stderr).toContain('--exec exited with 7 for theirs.watched.example: reported again next time');
    const ok = await monitorOnce([...args, '--exec', `cat >> ${out}`], dir);
    expect(ok.stderr).toBe('');
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ type: 'match', names: ['theirs.watched.example'], precertificate: false });
    expect((await monitorOnce([...args, '--exec', `cat >> ${out}`], dir)).lines).toEqual([]);
  });

  it('human output: the finding, its certificate and each entry; a summary on stderr', async () => {
    const run = await runCli([
      'monitor',
      '--once',
      '--watch',
      'mine.watched.example',
      '--log-list',
      local.listFile,
      '--from-start',
      '--state-dir',
      stateDir(),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^match mine\.watched\.example {2}watching mine\.watched\.example\n/);
    const certificate = '  certificate CN=mine.watched.example,O=ctlens test, issued by CN=ctlens monitor CLI CA';
    expect(run.stdout).toContain(certificate);
    expect(run.stdout).toMatch(/ {2}in .+ #0 \(.+, precert_entry\)\n {2}in .+ #1 \(.+, x509_entry\)\n$/);
    expect(run.stderr).toBe('ctlens monitor: 3 entries read, 1 finding, 0 alerts\n');
  });

  it.each([
    [['--once'], 'nothing to watch: give --watch <pattern> or --watch-file <file>'],
    [['--watch', '*.example.com'], '--watch: "*.example.com": a pattern has no wildcards'],
    [['--watch', 'a.example', '--interval', '0'], '--interval: "0" is not a number of seconds above 0'],
    [['--watch', 'a.example', '--authorize', 'nope.txt'], 'nope.txt: cannot read authorize file: no such file'],
    [['--watch', 'a.example', '--bogus'], "Unknown option '--bogus'"],
  ])('bad usage %j: one line on stderr, exit 2', async (args, message) => {
    const run = await runCli(['monitor', ...args, '--state-dir', stateDir()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('one state directory, one monitor: a second one at once is refused', async () => {
    const { MonitorState } = await import('../../src/cli/monitor/state.js');
    const dir = stateDir();
    const held = MonitorState.open(dir);
    try {
      const run = await monitorOnce(['--watch', 'a.example', '--log-list', local.listFile], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`ctlens: ${dir}: cannot use the monitor state: another ctlens monitor is using it\n`);
    } finally {
      held.close();
    }
  });
});
