/**
 * RFC 9162 tree heads that come beside an inclusion proof (§5.4 get-proof-by-hash, §5.5
 * get-all-by-hash) are recorded like get-sth's, so a split view shown there is caught: the
 * project's CT log over loopback (/ct/v2/), its forkProofSth switch signing a forked tree's head
 * beside honest proofs, and its §5 skew answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { toBase64, type Bytes } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { FileHeadStore } from '../../src/cli/head-store.js';
import { LogHttp } from '../../src/logclient/http.js';
import { Rfc9162Client } from '../../src/logclient/rfc9162.js';
import type { SignedTreeHead } from '../../src/logclient/tree-head.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { testLogV2Id } from '../../log/v2-structs.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const POLICY = { timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 };
let ca: TestCa;
let serial = 0;
const servers: LocalLogServer[] = [];
const dirs: string[] = [];

/** A test log read over /ct/v2/ (its list entry says "ctlens_api": "rfc9162"). */
async function start() {
  const log = new LocalCtLog({ description: `v2 split log ${serial++}` });
  const server = await startLocalLog(log);
  servers.push(server);
  const json = logListJson(log, { url: server.url, api: 'rfc9162', at: Date.now() - 30 * DAY });
  const info = parseLogList(json, 'v2 split list').logs[0]!;
  return { log, json, info };
}

/** A certificate with an embedded SCT from `log`, and its verification against `json`'s list. */
async function issued(log: LocalCtLog, json: string) {
  const second = Math.floor(Date.now() / 1000) * 1000;
  const validity = { notBefore: second - DAY, notAfter: second + 60 * DAY };
  const pending = await beginIssuance(ca, { ...validity, subject: `v2-split-${serial++}.example` });
  const final = await pending.finish([log.addPreChain([pending.precert, ca.der]).bytes]);
  const registry = new LogRegistry([{ list: parseLogList(json, 'v2 split list'), signed: false }]);
  return (await decide({ chain: [final.der, ca.der], registry, at: Date.now() })).verification;
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
const sizeAndRoot = (head: SignedTreeHead) => [head.treeSize, toBase64(head.rootHash)];

beforeAll(async () => {
  ca = await createTestCa('ctlens v2 split CA');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a split view beside an RFC 9162 inclusion proof', () => {
  it("get-proof-by-hash with a forked tree's sth is a split-view alert, kept with both signed heads", async () => {
    const { log, json } = await start();
    const verification = await issued(log, json);
    const dir = mkdtempSync(join(tmpdir(), 'ctlens-v2-split-'));
    dirs.push(dir);
    const at = Date.now();
    const honest = await proveInclusion(verification, { store: new FileHeadStore(dir), at, http: new LogHttp(POLICY) });
    expect(honest).toMatchObject({ alerts: [], misbehaved: false });

    log.misbehave = { forkProofSth: true };
    const store = new FileHeadStore(dir);
    const result = await proveInclusion(verification, { store, at: Date.now(), http: new LogHttp(POLICY) });
    // The proof verifies against get-sth's head; the head beside it shows another tree of that size.
    expect(result.inclusion.map((r) => r.status)).toEqual(['included']);
    expect(result.misbehaved).toBe(true);
    expect(result.alerts).toEqual([
      expect.objectContaining({
        type: 'split-view',
        logId: log.logIdBase64,
        detail: `two different roots for tree size ${log.treeSize}`,
      }),
    ]);
    const [kept, beside] = result.alerts[0]!.evidence;
    expect(kept.rootHash).toBe(toBase64(log.sth().rootHash));
    expect(beside.rootHash).toBe(toBase64(log.forkedRoot(log.treeSize)));
    expect(beside.signature).not.toBe('');
    const reopened = new FileHeadStore(dir);
    expect(await reopened.loadSplitViews(log.logIdBase64)).toEqual([result.alerts[0]]);
    expect((await reopened.load(log.logIdBase64)).map((h) => h.rootHash)).toEqual([kept.rootHash]);
    log.misbehave = {};
  });
});

describe('the v2 client hands every verified sth beside a proof to the caller', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  let client: Rfc9162Client;
  let leaf: Bytes;
  beforeAll(async () => {
    ctx = await start();
    await issued(ctx.log, ctx.json);
    await issued(ctx.log, ctx.json);
    client = new Rfc9162Client(ctx.info, new LogHttp(POLICY), undefined, { logIdV2: testLogV2Id(ctx.log).logId });
    leaf = ctx.log.served().entry(0).leafHash;
  });
  const collect = () => {
    const heads: SignedTreeHead[] = [];
    return { heads, sink: async (head: SignedTreeHead) => void heads.push(head) };
  };

  it('get-proof-by-hash: none for a known tree; the forked sth; the latest sth under skew (then refused)', async () => {
    const size = ctx.log.treeSize;
    const plain = collect();
    await client.getInclusionProof(leaf, size, undefined, plain.sink);
    expect(plain.heads).toEqual([]);
    ctx.log.misbehave = { forkProofSth: true };
    const forked = collect();
    await client.getInclusionProof(leaf, size, undefined, forked.sink);
    expect(forked.heads.map(sizeAndRoot)).toEqual([[size, toBase64(ctx.log.forkedRoot(size))]]);
    ctx.log.misbehave = {};
    const skewed = collect();
    const refused = await rejection(client.getInclusionProof(leaf, size + 1, undefined, skewed.sink));
    expect(refused).toMatchObject({ kind: 'unavailable' });
    expect(skewed.heads.map((h) => h.treeSize)).toEqual([size]);
  });

  it('get-all-by-hash: the sth of a larger tree, and under skew', async () => {
    const size = ctx.log.treeSize;
    const grown = collect();
    const answer = await client.getAllByHash(leaf, 1, grown.sink);
    expect(grown.heads).toEqual([answer.sth]);
    const skewed = collect();
    expect(await rejection(client.getAllByHash(leaf, size + 3, skewed.sink))).toMatchObject({ kind: 'unavailable' });
    expect(skewed.heads.map(sizeAndRoot)).toEqual([[size, toBase64(ctx.log.sth().rootHash)]]);
  });

  it('a sth whose signature does not verify never reaches the caller', async () => {
    ctx.log.misbehave = { forkProofSth: true, badSthSignature: true };
    const bad = collect();
    const refused = await rejection(client.getInclusionProof(leaf, ctx.log.treeSize, undefined, bad.sink));
    expect(refused).toMatchObject({ kind: 'malformed' });
    expect(bad.heads).toEqual([]);
    ctx.log.misbehave = {};
  });
});
