/**
 * `ctlens monitor` as a user runs it (the built executable, a real child process) killed with
 * SIGKILL at random moments while the local log keeps growing, then run again: across all the
 * runs every matching certificate is reported, and none twice.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256, toHex } from '../../src/bytes.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { precertTbs } from '../../src/x509/precert-tbs.js';
import { issueCertificate, withSerial } from '../support/monitor-certs.js';
import { scratch, startMonitoredLog, type MonitoredLog } from '../support/monitor-log.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';

const tmp = scratch();
/** The executable the CLI build writes (ctlens.mjs, or ctlens.cjs beside the core). */
const binary = () => ['ctlens.mjs', 'ctlens.cjs'].map((f) => join(tmp.dir, 'bin', f)).find((f) => existsSync(f))!;
let ca: TestCa;
let local: MonitoredLog;
let matching: Uint8Array;
let other: Uint8Array;

beforeAll(async () => {
  const outDir = join(tmp.dir, 'bin');
  await build({ configFile: 'vite.cli.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  ca = await createTestCa('ctlens monitor resume CA');
  matching = await issueCertificate(ca, { dns: ['shop.watched.example'] });
  other = await issueCertificate(ca, { dns: ['elsewhere.example'] });
  local = await startMonitoredLog(tmp.dir);
}, 120_000);
afterAll(async () => {
  await local?.close();
  tmp.remove();
});

/** The built CLI; better-sqlite3 stays outside the bundle, found through NODE_PATH from this checkout. */
type Run = { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> };
/** Its stdout a pipe read here, or a descriptor given (then `stdout` comes back empty). */
function monitor(args: readonly string[], stdoutFd?: number): Run {
  const nodePath = join(process.cwd(), 'node_modules');
  const env = { ...process.env, CTLENS_CONFIG_DIR: join(tmp.dir, 'config'), NODE_PATH: nodePath };
  const stdio = ['ignore', stdoutFd ?? 'pipe', 'pipe'] as const;
  const child = spawn(process.execPath, [binary(), 'monitor', '--json', ...args], { env, stdio: [...stdio] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('close', (code) => {
      if (stderr) console.error(stderr);
      resolve({ code, stdout });
    }),
  );
  return { child, done };
}

const tbsKey = (der: Uint8Array) => toHex(sha256(precertTbs(parseCertificate(der))));
/** The TBS keys of the findings in JSON Lines output (a finding's id is its key, then its entry count). */
const findingKeys = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l).id.split('/')[0] as string);

it('loses no finding and reports none twice across kill -9 and resume', async () => {
  const stateDir = join(tmp.dir, 'state');
  const args = ['--watch', '.watched.example', '--log-list', local.listFile, '--state-dir', stateDir];
  args.push('--from-start');
  const expected = new Set<string>();
  let serial = 1;
  const grow = (count: number) => {
    const chains: Uint8Array[][] = [];
    for (let i = 0; i < count; i++) {
      const der = withSerial(i % 7 === 0 ? matching : other, serial++);
      if (i % 7 === 0) expected.add(tbsKey(der));
      chains.push([der, ca.der]);
    }
    local.log.bulkAdd(chains);
  };
  grow(700);
  local.log.misbehave.slowMs = 3;
  const reported: string[] = [];
  const collect = (stdout: string) => {
    for (const line of stdout.split('\n')) {
      if (line === '') continue;
      const value = JSON.parse(line);
      expect(value.type).toBe('match');
      reported.push(value.id.split('/')[0]);
    }
  };
  // The same command each time (--from-start only matters while there is no state), killed at a random moment.
  let runsThatReported = 0;
  for (let run = 0; run < 8; run++) {
    const { child, done } = monitor([...args, '--interval', '0.05']);
    const timer = setInterval(() => grow(60), 40);
    // At work first (its first report out), then killed at a random moment.
    await new Promise((resolve) => {
      child.stdout!.once('data', resolve);
      setTimeout(resolve, 15_000);
    });
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
    child.kill('SIGKILL');
    clearInterval(timer);
    const { code, stdout } = await done;
    expect(code).toBe(null);
    if (stdout !== '') runsThatReported++;
    collect(stdout);
  }
  local.log.misbehave.slowMs = 0;
  const last = monitor([...args, '--once']);
  const { code, stdout } = await last.done;
  expect(code).toBe(0);
  collect(stdout);
  expect(reported.length).toBe(new Set(reported).size);
  expect(new Set(reported)).toEqual(expected);
  expect(expected.size).toBeGreaterThan(150);
  // Killed at work: (nearly) every run had reported when the kill came.
  expect(runsThatReported).toBeGreaterThanOrEqual(6);
}, 120_000);

/**
 * The window a kill can fall in is the time between writing a report and committing its mark.
 * When the reader of stdout stops reading, a write blocks until it does; killed then, a report
 * that is out (in the pipe) but not marked would be written again by the next run. Here the
 * reader is a FIFO nobody drains: the run fills it, blocks, and is killed there.
 */
it('killed while its reader has stopped reading, the next run repeats no report that was out', async () => {
  const stateDir = join(tmp.dir, 'state-blocked');
  const expected = new Set<string>();
  const certificate = await issueCertificate(ca, { dns: ['blocked.stalled.example'] });
  const chains: Uint8Array[][] = [];
  for (let i = 0; i < 300; i++) {
    const der = withSerial(certificate, 1_000_000 + i);
    expected.add(tbsKey(der));
    chains.push([der, ca.der]);
  }
  local.log.bulkAdd(chains);
  const args = ['--watch', '.stalled.example', '--log-list', local.listFile, '--state-dir', stateDir, '--from-start'];
  const fifo = join(tmp.dir, 'stalled-stdout');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  const { child, done } = monitor([...args, '--once'], writer);
  closeSync(writer);
  const chunks: Buffer[] = [];
  const readAvailable = (): number => {
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(65536);
      let n: number;
      try {
        n = readSync(reader, buffer);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return total;
        throw e;
      }
      if (n === 0) return total;
      chunks.push(buffer.subarray(0, n));
      total += n;
    }
  };
  // Its reports have begun: one read of what came, then none, so the pipe fills and the run blocks.
  const deadline = Date.now() + 60_000;
  while (readAvailable() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGKILL');
  await done;
  readAvailable();
  closeSync(reader);
  const text = Buffer.concat(chunks).toString('utf8');
  // Whole lines only: a line cut short was not out in full.
  const first = findingKeys(text.slice(0, text.lastIndexOf('\n') + 1));
  expect(first.length).toBeGreaterThan(0);
  expect(first.length).toBeLessThan(expected.size); // it was blocked with reports still to write
  const rest = await monitor([...args, '--once']).done;
  expect(rest.code).toBe(0);
  const second = findingKeys(rest.stdout);
  const repeated = second.filter((id) => first.includes(id));
  expect(repeated).toEqual([]);
  expect(new Set([...first, ...second])).toEqual(expected);
}, 120_000);
