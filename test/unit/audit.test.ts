/**
 * Auditing SCTs against the project's own CT log over real HTTP on loopback: certificates issued
 * the way CAs do (precertificate → SCTs from two logs → final certificate), then every outcome —
 * included, pending, not-included, unavailable, error — and split views, through the core and
 * through `ctlens audit`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { toBase64 } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { LogHttp } from '../../src/logclient/http.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli } from '../support/cli.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
let ca: TestCa;
let logs: LocalCtLog[];
let servers: LocalLogServer[];
const dirs: string[] = [];

/** A v3 list with the two logs under two operators; `entry` can change an entry (state). */
function listJson(change: (entry: Record<string, unknown>, i: number) => Record<string, unknown> = (e) => e): string {
  return JSON.stringify({
    version: '1.0',
    log_list_timestamp: new Date(now).toISOString(),
    operators: logs.map((log, i) => ({
      name: `Operator ${i}`,
      logs: [change(logListEntry(log, { url: servers[i]!.url, at: now - 30 * DAY }), i)],
    })),
  });
}
const registryFor = (json = listJson()) =>
  new LogRegistry([{ list: parseLogList(json, 'audit test list'), signed: false }]);

/** A certificate with embedded SCTs from both logs, issued as CAs do. */
async function issue(): Promise<Uint8Array[]> {
  const pending = await beginIssuance(ca, {
    notBefore: now - DAY,
    notAfter: now + 60 * DAY,
    subject: 'audited.example',
  });
  const scts = logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes);
  return [(await pending.finish(scts)).der, ca.der];
}

async function audit(
  chain: Uint8Array[],
  options: { at?: number; store?: MemoryHeadStore; http?: LogHttp; registry?: LogRegistry } = {},
) {
  const registry = options.registry ?? registryFor();
  const at = options.at ?? Date.now();
  const { verification } = await decide({ chain, registry, at });
  expect(verification.scts.map((s) => s.status)).toEqual(['valid', 'valid']);
  return proveInclusion(verification, {
    store: options.store ?? new MemoryHeadStore(),
    at,
    http: options.http ?? new LogHttp({ timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 }),
  });
}

beforeAll(async () => {
  ca = await createTestCa('ctlens audit CA');
  logs = [new LocalCtLog({ description: 'Audit Log A' }), new LocalCtLog({ description: 'Audit Log B' })];
  servers = await Promise.all(logs.map((log) => startLocalLog(log)));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const reset = () => {
  for (const log of logs) log.misbehave = {};
};

describe('inclusion', () => {
  it('included: both proofs verify against verified tree heads, which are kept', async () => {
    reset();
    const store = new MemoryHeadStore();
    const result = await audit(await issue(), { store });
    expect(result.inclusion.map((r) => r.status)).toEqual(['included', 'included']);
    expect(result.inclusion[0]).toMatchObject({
      treeSize: expect.any(Number),
      leafIndex: expect.any(Number),
      detail: expect.stringMatching(/^leaf \d+ of tree \d+/),
    });
    expect(result.alerts).toEqual([]);
    expect(result.misbehaved).toBe(false);
    expect((await store.load(logs[0]!.logIdBase64)).length).toBe(1);
  });

  it('pending: not merged yet, and younger than the MMD', async () => {
    reset();
    logs[0]!.mergeDelayMs = 60 * 60_000;
    try {
      const result = await audit(await issue());
      expect(result.inclusion.map((r) => r.status)).toEqual(['pending', 'included']);
      expect(result.inclusion[0]!.detail).toMatch(/within the log's 86400 s MMD/);
    } finally {
      logs[0]!.mergeDelayMs = 0;
      logs[0]!.merge();
    }
  });

  it('not-included: the log still denies the entry after its MMD', async () => {
    reset();
    logs[1]!.mergeDelayMs = 10 * DAY;
    try {
      const result = await audit(await issue(), { at: Date.now() + 2 * DAY });
      expect(result.inclusion[1]).toMatchObject({
        status: 'not-included',
        misbehaved: true,
        detail: expect.stringContaining('denies the entry'),
      });
      expect(result.misbehaved).toBe(true);
    } finally {
      logs[1]!.mergeDelayMs = 0;
      logs[1]!.merge();
    }
  });

  it('not-included: an inclusion proof that does not verify, with expected and computed roots', async () => {
    reset();
    logs[0]!.misbehave = { wrongProofs: true };
    const chain = await issue();
    logs[0]!.addChain([chain[0]!, ca.der]); // one more entry, so the proof is not empty
    const result = await audit(chain);
    expect(result.inclusion[0]).toMatchObject({
      status: 'not-included',
      misbehaved: true,
      detail: expect.stringMatching(/does not verify: .*computed root [0-9a-f]{64}, expected [0-9a-f]{64}/),
    });
  });

  it('error: a tree head whose signature does not verify', async () => {
    reset();
    logs[0]!.misbehave = { badSthSignature: true };
    const result = await audit(await issue());
    expect(result.inclusion[0]).toMatchObject({
      status: 'error',
      detail: expect.stringContaining('tree head signature does not verify'),
    });
    expect(result.misbehaved).toBe(false);
  });

  it.each([['not-json' as const], [true as const]])('error: a garbage response (%s)', async (garbage) => {
    reset();
    logs[1]!.misbehave = { garbage };
    const result = await audit(await issue());
    expect(result.inclusion[1]).toMatchObject({
      status: 'error',
      detail: expect.stringContaining('response is not JSON'),
    });
  });

  it('unavailable: a log that answers too slowly, or not at all — never misissuance', async () => {
    reset();
    logs[0]!.misbehave = { slowMs: 1500 };
    const slow = await audit(await issue(), {
      http: new LogHttp({ timeoutMs: 300, retries: 1, backoffMs: 10, maxBytes: 1 << 20 }),
    });
    expect(slow.inclusion[0]).toMatchObject({
      status: 'unavailable',
      detail: expect.stringContaining('no answer within 300 ms'),
    });
    reset();
    const registry = registryFor(listJson((e, i) => (i === 1 ? { ...e, url: 'http://127.0.0.1:9/' } : e)));
    const gone = await audit(await issue(), { registry });
    expect(gone.inclusion[1]).toMatchObject({ status: 'unavailable' });
    expect(gone.misbehaved).toBe(false);
  });

  // A final_tree_head is taken only from a signed list (issue 7 §1): these lists are unsigned.
  const readonlyList = (treeSize: number, rootHash: string) =>
    listJson((e, i) =>
      i === 0
        ? {
            ...e,
            state: {
              readonly: {
                timestamp: new Date(now).toISOString(),
                final_tree_head: { tree_size: treeSize, sha256_root_hash: rootHash },
              },
            },
          }
        : e,
    );

  it(
    'a ReadOnly log of an unsigned list proves against a tree head the log signs, ' +
      "never the list's final_tree_head",
    async () => {
      reset();
      const chain = await issue();
      const registry = registryFor(readonlyList(1, toBase64(new Uint8Array(32)))); // a made-up head
      expect(registry.get(logs[0]!.logIdBase64)!.state).toEqual({ name: 'readonly', since: now });
      expect(registry.lists[0]!.skipped).toEqual([
        expect.stringMatching(/^Audit Log A .*final_tree_head not used, the list is unsigned/),
      ]);
      logs[0]!.misbehave = { badSthSignature: true }; // get-sth is asked, and its signature checked
      expect((await audit(chain, { registry })).inclusion[0]).toMatchObject({
        status: 'error',
        detail: expect.stringMatching(/signature/),
      });
      reset();
      const result = await audit(chain, { registry });
      expect(result.inclusion[0]).toMatchObject({ status: 'included', treeSize: logs[0]!.sth().treeSize });
      expect(result.inclusion[0]!.treeHead!.signature).not.toBe('');
    },
  );

  it(
    "a ReadOnly log whose entry carries a final_tree_head (a signed list's) " + 'proves against it, not a fresh STH',
    async () => {
      reset();
      const chain = await issue();
      const sth = logs[0]!.sth();
      const at = Date.now();
      const { verification } = await decide({ chain, registry: registryFor(), at });
      const frozen = {
        name: 'readonly' as const,
        since: now,
        finalTreeHead: { treeSize: sth.treeSize, rootHash: toBase64(sth.rootHash) },
      };
      const scts = verification.scts.map((s, i) => (i === 0 ? { ...s, log: { ...s.log!, state: frozen } } : s));
      logs[0]!.misbehave = { badSthSignature: true }; // get-sth would fail: it must not be asked
      const result = await proveInclusion({ ...verification, scts }, { store: new MemoryHeadStore(), at });
      expect(result.inclusion[0]).toMatchObject({
        status: 'included',
        treeSize: sth.treeSize,
        treeHead: { signature: '' },
      });
    },
  );
});

describe('tree heads and split views', () => {
  it('a grown tree is checked for consistency with the head kept before', async () => {
    reset();
    const store = new MemoryHeadStore();
    await audit(await issue(), { store });
    await audit(await issue(), { store }); // the logs grew
    const heads = await store.load(logs[0]!.logIdBase64);
    expect(heads.length).toBe(2);
    expect(heads[1]!.treeSize).toBeGreaterThan(heads[0]!.treeSize);
  });

  it('a forked log is a split-view alert carrying both signed heads', async () => {
    reset();
    const store = new MemoryHeadStore();
    const chain = await issue();
    await audit(chain, { store });
    logs[0]!.misbehave = { fork: true };
    const result = await audit(chain, { store });
    expect(result.misbehaved).toBe(true);
    expect(result.alerts).toEqual([
      expect.objectContaining({
        type: 'split-view',
        logId: logs[0]!.logIdBase64,
        detail: expect.stringMatching(/two different roots for tree size \d+/),
      }),
    ]);
    const [a, b] = result.alerts[0]!.evidence;
    expect(a.treeSize).toBe(b.treeSize);
    expect(a.rootHash).not.toBe(b.rootHash);
    expect(a.signature).not.toBe('');
  });
});

describe('ctlens audit', () => {
  it('--json: inclusion per SCT, alerts, exit 0; then a forked log: exit 3 with the alert', async () => {
    reset();
    const dir = mkdtempSync(join(tmpdir(), 'ctlens-audit-'));
    dirs.push(dir);
    const chain = await issue();
    const pem = join(dir, 'chain.pem');
    writeFileSync(pem, chain.map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
    const list = join(dir, 'list.json');
    writeFileSync(list, listJson());
    const args = ['audit', pem, '--log-list', list, '--state-dir', join(dir, 'state'), '--json'];
    const first = await runCli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.policies.chrome.verdict).toBe('compliant');
    expect(report.scts.map((s: { inclusion: { status: string } }) => s.inclusion.status)).toEqual([
      'included',
      'included',
    ]);
    expect(report.scts[0].inclusion).toEqual({
      status: 'included',
      treeSize: expect.any(Number),
      checkedAt: expect.any(String),
      detail: expect.any(String),
      leafIndex: expect.any(Number),
      treeHead: expect.objectContaining({
        treeSize: expect.any(Number),
        rootHash: expect.any(String),
        signature: expect.any(String),
      }),
      auditPath: expect.any(Array),
      witnesses: [],
      quorum: 'no-policy',
    });
    expect(report.alerts).toEqual([]);

    logs[1]!.misbehave = { fork: true };
    const second = await runCli(args);
    expect(second.code).toBe(3);
    const forked = JSON.parse(second.stdout);
    expect(forked.alerts).toEqual([
      expect.objectContaining({
        type: 'split-view',
        logId: logs[1]!.logIdBase64,
        evidence: [expect.any(Object), expect.any(Object)],
      }),
    ]);
  });

  it('the human output names the split view', async () => {
    reset();
    const dir = mkdtempSync(join(tmpdir(), 'ctlens-audit-'));
    dirs.push(dir);
    const chain = await issue();
    const pem = join(dir, 'chain.pem');
    writeFileSync(pem, chain.map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
    const list = join(dir, 'list.json');
    writeFileSync(list, listJson());
    const args = ['audit', pem, '--log-list', list, '--state-dir', join(dir, 'state')];
    expect((await runCli(args)).stdout).toMatch(/Inclusion[\s\S]*Audit Log A\s+included/);
    logs[0]!.misbehave = { fork: true };
    const out = await runCli(args);
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/ALERT: split view in Audit Log A: two different roots for tree size \d+/);
  });
});
