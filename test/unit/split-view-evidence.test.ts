/**
 * Split-view evidence outlives the audit that caught it (issue 7 §5): against the project's CT log
 * over loopback, a forked log's two signed heads are kept in the CLI's state directory, read back
 * by a new store and by a second `ctlens audit`; the forked head never becomes the history later
 * heads are checked against; a log that split once stays flagged; the evidence is bounded per log
 * and a file that cannot be read is refused and left as it is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import {
  MAX_SPLIT_VIEWS,
  recordTreeHead,
  type SplitViewAlert,
  type StoredHead,
} from '../../src/inclusion/tree-heads.js';
import { fromBase64, toBase64 } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { InputError } from '../../src/cli/errors.js';
import { FileHeadStore } from '../../src/cli/head-store.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { LogHttp } from '../../src/logclient/http.js';
import { verifyTreeHead } from '../../src/logclient/tree-head.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog, type LocalTreeHead } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli } from '../support/cli.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
const POLICY = { timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 };
let ca: TestCa;
let logs: LocalCtLog[];
let servers: LocalLogServer[];
const dirs: string[] = [];

const listJson = (): string =>
  JSON.stringify({
    version: '1.0',
    log_list_timestamp: new Date(now).toISOString(),
    operators: logs.map((log, i) => ({
      name: `Operator ${i}`,
      logs: [logListEntry(log, { url: servers[i]!.url, at: now - 30 * DAY })],
    })),
  });
/** The CLI store's file of a log's split views. */
const splitViewsFile = (state: string, log: LocalCtLog): string => {
  const base64url = log.logIdBase64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return join(state, 'tree-heads', `${base64url}.split-views.json`);
};
const registry = () => new LogRegistry([{ list: parseLogList(listJson(), 'evidence test list'), signed: false }]);
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-evidence-'));
  dirs.push(dir);
  return dir;
};
const reset = () => {
  for (const log of logs) log.misbehave = {};
};

/** A certificate with embedded SCTs from both logs, issued as CAs do. */
async function issue(): Promise<Uint8Array[]> {
  const validity = { notBefore: now - DAY, notAfter: now + 60 * DAY };
  const pending = await beginIssuance(ca, { ...validity, subject: 'evidence.example' });
  const scts = logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes);
  return [(await pending.finish(scts)).der, ca.der];
}

async function audit(chain: Uint8Array[], store: FileHeadStore) {
  const at = Date.now();
  const { verification } = await decide({ chain, registry: registry(), at });
  return proveInclusion(verification, { store, at, http: new LogHttp(POLICY) });
}

/** The signature of a kept head verifies with the log's key: the evidence stands on its own. */
async function verifiesAsLogs(head: StoredHead, log: LocalCtLog): Promise<void> {
  const info = registry().get(log.logIdBase64)!;
  const { treeSize, timestamp } = head;
  const [rootHash, signature] = [fromBase64(head.rootHash), fromBase64(head.signature)];
  const signed = { logId: log.logIdBase64, treeSize, timestamp, rootHash, signature };
  await verifyTreeHead(signed, info, new SignatureVerifier());
}

beforeAll(async () => {
  ca = await createTestCa('ctlens evidence CA');
  logs = [new LocalCtLog({ description: 'Evidence Log A' }), new LocalCtLog({ description: 'Evidence Log B' })];
  servers = await Promise.all(logs.map((log) => startLocalLog(log)));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the state directory keeps split views', () => {
  it('both signed heads survive the audit: a new store over the same directory reads them back', async () => {
    reset();
    const dir = tempDir();
    const chain = await issue();
    expect((await audit(chain, new FileHeadStore(dir))).alerts).toEqual([]);
    logs[0]!.misbehave = { fork: true };
    const caught = await audit(chain, new FileHeadStore(dir));
    expect(caught.alerts).toHaveLength(1);
    const [alert] = caught.alerts;
    expect(alert).toMatchObject({
      type: 'split-view',
      logId: logs[0]!.logIdBase64,
      detail: expect.stringMatching(/two different roots for tree size \d+/),
    });
    expect(alert!.earlier).toBeUndefined();

    const reopened = new FileHeadStore(dir);
    const kept = await reopened.loadSplitViews(logs[0]!.logIdBase64);
    const { logId, detail, evidence } = alert!;
    expect(kept).toEqual([{ type: 'split-view', logId, log: 'Evidence Log A', detail, evidence }]);
    const [honest, forked] = kept[0]!.evidence;
    expect(honest.treeSize).toBe(forked.treeSize);
    expect(honest.rootHash).not.toBe(forked.rootHash);
    await verifiesAsLogs(honest, logs[0]!);
    await verifiesAsLogs(forked, logs[0]!);
    // The forked head is evidence, never history: the kept heads are the honest ones only.
    expect((await reopened.load(logs[0]!.logIdBase64)).map((h) => h.rootHash)).not.toContain(forked.rootHash);
    expect(await reopened.loadSplitViews(logs[1]!.logIdBase64)).toEqual([]);
  });

  it('a log that split once stays flagged: honest again, its audits still report the kept split view', async () => {
    reset();
    const dir = tempDir();
    const chain = await issue();
    await audit(chain, new FileHeadStore(dir));
    logs[1]!.misbehave = { fork: true };
    const [first] = (await audit(chain, new FileHeadStore(dir))).alerts;
    // The same fork again (a freshly signed head, same size and root): reported as caught now, kept once.
    const again = await audit(chain, new FileHeadStore(dir));
    const roots = (a: SplitViewAlert) => a.evidence.map((h) => [h.treeSize, h.rootHash]);
    expect(again.alerts).toHaveLength(1);
    expect(again.alerts[0]!.earlier).toBeUndefined();
    expect(roots(again.alerts[0]!)).toEqual(roots(first!));
    expect(await new FileHeadStore(dir).loadSplitViews(logs[1]!.logIdBase64)).toHaveLength(1);

    reset();
    const later = await audit(chain, new FileHeadStore(dir));
    expect(later.inclusion.map((r) => r.status)).toEqual(['included', 'included']);
    expect(later.misbehaved).toBe(true);
    const flagged = / \(caught .+Z by an earlier audit; the log stays flagged\)$/;
    expect(later.alerts).toEqual([{ ...first, earlier: true, detail: expect.stringMatching(flagged) }]);
    expect(later.alerts[0]!.detail.startsWith(first!.detail)).toBe(true);
  });

  it(`keeps the newest ${MAX_SPLIT_VIEWS} split views of a log, whatever the ordinary heads do`, async () => {
    const log = new LocalCtLog({ description: 'Evidence Log C' });
    const store = new FileHeadStore(tempDir());
    const info = { logId: log.logIdBase64, description: log.description };
    const prove = async (first: number, second: number) => log.consistencyProof(first, second);
    const kept = ({ treeSize, timestamp, rootHash, signature }: LocalTreeHead, seenAt: number): StoredHead => ({
      treeSize,
      timestamp,
      rootHash: toBase64(rootHash),
      signature: toBase64(signature),
      seenAt,
    });
    const chain = await issue();
    for (let i = 0; i < MAX_SPLIT_VIEWS + 5; i++) {
      log.addChain(chain);
      log.misbehave = {};
      expect((await recordTreeHead(store, info, kept(log.sth(), i), prove)).alerts).toEqual([]);
      log.misbehave = { fork: true };
      expect((await recordTreeHead(store, info, kept(log.sth(), i), prove)).alerts).toHaveLength(1);
    }
    const views = await store.loadSplitViews(log.logIdBase64);
    expect(views).toHaveLength(MAX_SPLIT_VIEWS);
    expect(views.map((v) => v.evidence[1].treeSize)).toEqual(Array.from({ length: MAX_SPLIT_VIEWS }, (_, i) => i + 6));
    // Every kept head is the honest tree's, each consistent with the one before.
    const sizes = (await store.load(log.logIdBase64)).map((h) => h.treeSize);
    expect(sizes).toEqual(Array.from({ length: MAX_SPLIT_VIEWS + 5 }, (_, i) => i + 1));
  });
});

describe('a split-view file that cannot be read', () => {
  it('is refused with what is wrong, and never overwritten', async () => {
    reset();
    const dir = tempDir();
    const chain = await issue();
    await audit(chain, new FileHeadStore(dir));
    const file = splitViewsFile(dir, logs[0]!);
    const logId = logs[0]!.logIdBase64;
    const cases: [string, RegExp][] = [
      ['{"logId": "truncated', /cannot read the stored split views \(.*JSON/],
      [JSON.stringify({ logId: 'another log', splitViews: [] }), /not a split views file for this log/],
      [
        JSON.stringify({ logId, splitViews: [{ type: 'split-view', logId, log: 'A', detail: 'd', evidence: [] }] }),
        /splitViews\[0\]\.evidence is not two heads/,
      ],
    ];
    for (const [text, problem] of cases) {
      writeFileSync(file, text);
      logs[0]!.misbehave = { fork: true };
      const refused = await audit(chain, new FileHeadStore(dir)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(InputError);
      expect((refused as Error).message).toMatch(problem);
      expect((refused as Error).message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
    reset();
  });
});

describe('ctlens audit', () => {
  it('the evidence persists from one run to the next with the same --state-dir', async () => {
    reset();
    const dir = tempDir();
    const chain = await issue();
    const pem = join(dir, 'chain.pem');
    writeFileSync(pem, chain.map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
    const list = join(dir, 'list.json');
    writeFileSync(list, listJson());
    const state = join(dir, 'state');
    const args = ['audit', pem, '--log-list', list, '--state-dir', state, '--json'];
    expect((await runCli(args)).code).toBe(0);

    logs[0]!.misbehave = { fork: true };
    const forked = await runCli(args);
    expect(forked.code).toBe(3);
    const [alert] = JSON.parse(forked.stdout).alerts;
    expect(alert).toMatchObject({ type: 'split-view', logId: logs[0]!.logIdBase64 });

    // The next run, the log honest again: the same two signed heads, from the state directory.
    reset();
    const next = await runCli(args);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(3);
    const report = JSON.parse(next.stdout);
    const statuses = report.scts.map((s: { inclusion: { status: string } }) => s.inclusion.status);
    expect(statuses).toEqual(['included', 'included']);
    const earlier = { ...alert, earlier: true, detail: expect.stringContaining('by an earlier audit') };
    expect(report.alerts).toEqual([earlier]);
    const file = JSON.parse(readFileSync(splitViewsFile(state, logs[0]!), 'utf8'));
    expect(file).toEqual({ logId: logs[0]!.logIdBase64, splitViews: [alert] });

    const text = await runCli(args.slice(0, -1));
    expect(text.code).toBe(3);
    const line = /ALERT: split view in Evidence Log A: two different roots for tree size \d+ \(caught .+ by an earlier/;
    expect(text.stdout).toMatch(line);
  });
});
