/**
 * `ctlens monitor` against a local log that misbehaves, both APIs: a fork (a split view: two roots
 * for one size, or a tree that does not extend the kept one), tree heads over a root the entries do
 * not hash to, and a bad tree head signature are alerts with their evidence, exit 3, and the log
 * is not read again until --reset-log. A log that rate-limits (429, Retry-After) is waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../support/test-pki.js';
import { issueCertificate } from '../support/monitor-certs.js';
import { monitorOnce, scratch, startMonitoredLog, type MonitoredLog } from '../support/monitor-log.js';

let ca: TestCa;
const tmp = scratch();
let certs: Uint8Array[];
let n = 0;

beforeAll(async () => {
  ca = await createTestCa('ctlens monitor alerts CA');
  certs = await Promise.all(
    Array.from({ length: 6 }, (_, i) => issueCertificate(ca, { dns: [`host${i}.watched.example`] })),
  );
});
afterAll(() => tmp.remove());

async function filledLog(
  tiled: boolean,
  count = 4,
): Promise<{ local: MonitoredLog; stateDir: string; args: string[] }> {
  const local = await startMonitoredLog(tmp.dir, { tiled });
  for (const der of certs.slice(0, count)) local.log.addChain([der, ca.der]);
  const stateDir = `${tmp.dir}/state-${n++}`;
  return { local, stateDir, args: ['--watch', '.watched.example', '--log-list', local.listFile] };
}

describe.each([
  { kind: 'RFC 6962', tiled: false },
  { kind: 'static-ct-api', tiled: true },
])('alerts from a $kind log', ({ tiled }) => {
  it('a fork at the kept size is a split-view alert with both signed heads, exit 3; ' +
    'the log then stays stopped', async () => {
    const { local, stateDir, args } = await filledLog(tiled);
    try {
      const first = await monitorOnce([...args, '--from-start'], stateDir);
      expect(first.code).toBe(0);
      expect(first.lines).toHaveLength(4);
      local.log.misbehave.fork = true;
      const split = await monitorOnce(args, stateDir);
      expect(split.code).toBe(3);
      expect(split.lines).toHaveLength(1);
      const [alert] = split.lines;
      expect(alert).toMatchObject({ type: 'alert', kind: 'split-view', logId: local.log.logIdBase64 });
      expect(alert.evidence.kept.treeSize).toBe(4);
      expect(alert.evidence.new.treeSize).toBe(4);
      expect(alert.evidence.kept.rootHash).not.toBe(alert.evidence.new.rootHash);
      // Stopped: not read, reported on stderr, exit 3 again, the alert not repeated.
      const stopped = await monitorOnce(args, stateDir);
      expect(stopped.code).toBe(3);
      expect(stopped.lines).toEqual([]);
      expect(stopped.stderr).toContain('not read: split-view alert #1');
      // Reset: read again from the current head, nothing to report.
      const reset = await monitorOnce([...args, '--reset-log', local.log.logIdBase64], stateDir);
      expect(reset.code).toBe(0);
      expect(reset.lines).toEqual([]);
    } finally {
      await local.close();
    }
  }, 60_000);

  it('a fork that grew past the kept head is an inconsistent alert, exit 3', async () => {
    const { local, stateDir, args } = await filledLog(tiled);
    try {
      expect((await monitorOnce([...args, '--from-start'], stateDir)).code).toBe(0);
      local.log.misbehave.fork = true;
      local.log.sth(); // the fork replaces the leaf that is last at its first read: entry 3
      local.log.addChain([certs[4]!, ca.der]);
      const run = await monitorOnce(args, stateDir);
      expect(run.code).toBe(3);
      expect(run.lines).toMatchObject([{ type: 'alert', kind: 'inconsistent' }]);
      expect(run.lines[0].evidence.kept.treeSize).toBe(4);
      expect(run.lines[0].evidence.new.treeSize).toBe(5);
      expect(run.lines[0].detail).toContain('does not extend the tree of 4');
    } finally {
      await local.close();
    }
  }, 60_000);

  it.each([true, false])(
    'a signed root the entries do not hash to is a root-mismatch alert (from start: %s)',
    async (fromStart) => {
      const { local, stateDir, args } = await filledLog(tiled);
      try {
        local.log.misbehave.wrongRoot = true;
        const run = await monitorOnce([...args, ...(fromStart ? ['--from-start'] : [])], stateDir);
        expect(run.code).toBe(3);
        // Nothing from entries that do not make the signed tree is reported.
        expect(run.lines).toMatchObject([{ type: 'alert', kind: 'root-mismatch' }]);
        expect(run.lines[0].evidence.head.treeSize).toBe(4);
        expect(run.lines[0].evidence.computedRoot).not.toBe(run.lines[0].evidence.head.rootHash);
      } finally {
        await local.close();
      }
    },
    60_000,
  );

  it('a tree head whose signature does not verify is a bad-signature alert with the answer as evidence', async () => {
    const { local, stateDir, args } = await filledLog(tiled);
    try {
      local.log.misbehave.badSthSignature = true;
      const run = await monitorOnce(args, stateDir);
      expect(run.code).toBe(3);
      expect(run.lines).toMatchObject([{ type: 'alert', kind: 'bad-signature' }]);
      expect(run.lines[0].evidence.answer).toContain(tiled ? '\n4\n' : '"tree_size":4');
    } finally {
      await local.close();
    }
  }, 60_000);

  it('a log that answers 429 is waited for (Retry-After, else a backoff) and then read in full', async () => {
    const { local, stateDir, args } = await filledLog(tiled, 6);
    try {
      local.log.misbehave.rateLimit = { requests: 3, retryAfter: '1' };
      const started = Date.now();
      const run = await monitorOnce([...args, '--from-start'], stateDir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.lines).toHaveLength(6);
      expect(local.log.misbehave.rateLimit.requests).toBe(0);
      // Three 429s in a row, each asking for a second; concurrent requests share the pause.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await local.close();
    }
  }, 60_000);
});

it('a log that keeps failing is an error on stderr and exit 1, not an alert', async () => {
  const { local, stateDir, args } = await filledLog(false);
  try {
    local.log.misbehave.garbage = 'not-json';
    const run = await monitorOnce(args, stateDir);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([]);
    expect(run.stderr).toMatch(/get-sth: response is not JSON/);
  } finally {
    await local.close();
  }
}, 60_000);
