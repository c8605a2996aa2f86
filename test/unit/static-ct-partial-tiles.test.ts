/**
 * static-ct-api v1.1.0, "Partial Tiles", as the client follows it (src/logclient/tile-fetch.ts),
 * over loopback against the project's local log, every request seen: the full tile when the
 * latest verified checkpoint makes it full (never a partial tile the log may have deleted); the
 * partial tile alone right after a checkpoint that needs it, the full one only if it is gone; the
 * partial and the full tile in parallel (the SHOULD) with no checkpoint or an old one; a tile the
 * log serves in neither form is the log's fault.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LogHttp } from '../../src/logclient/http.js';
import { StaticCtClient } from '../../src/logclient/static-ct.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
let ca: TestCa;
let cert: Uint8Array;
const servers: LocalLogServer[] = [];

beforeAll(async () => {
  ca = await createTestCa('ctlens partial tiles CA');
  const validity = { notBefore: Date.UTC(2025, 0, 1), notAfter: Date.UTC(2025, 11, 1) };
  cert = (await issueWithEmbeddedScts(ca, { ...validity, logs: [] })).der;
});
afterAll(() => Promise.all(servers.map((s) => s.close())));
afterEach(() => vi.restoreAllMocks());

interface Running {
  readonly log: LocalCtLog;
  readonly info: LogInfo;
  /** A client whose clock the test moves. */
  client(): StaticCtClient;
  clock: number;
  grow(n: number): void;
}

async function start(size: number, keepPartialTiles = false): Promise<Running> {
  const log = new LocalCtLog({ tiled: true, serving: { keepPartialTiles } });
  const server = await startLocalLog(log);
  servers.push(server);
  const json = logListJson(log, { url: server.url, at: Date.now() - 30 * DAY });
  const info = parseLogList(json, 'partial tiles list').logs[0]!;
  const http = new LogHttp({ timeoutMs: 3000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });
  const running: Running = {
    log,
    info,
    clock: Date.now(),
    client: () => new StaticCtClient(info, http, undefined, () => running.clock),
    grow: (n) => {
      for (let i = 0; i < n; i++) log.addChain([cert, ca.der]);
    },
  };
  running.grow(size);
  return running;
}

/** The tile paths fetch was asked for from now on. */
function watch(): () => string[] {
  const spy = vi.spyOn(globalThis, 'fetch');
  const start = spy.mock.calls.length;
  return () =>
    spy.mock.calls
      .slice(start)
      .map(([url]) => new URL(String(url)).pathname.slice(1))
      .filter((p) => p.startsWith('tile/'));
}

describe('the latest checkpoint makes the tile full: the full tile only', () => {
  it('a proof in a past tree size whose partial tile the log deleted: no request for it', async () => {
    const ctx = await start(100);
    const old = ctx.log.sth();
    ctx.grow(200); // tile 0/000 is full now; the log no longer serves 000.p/100
    const client = ctx.client();
    await client.getTreeHead();
    const seen = watch();
    const leaf = ctx.log.served().entry(40).leafHash;
    const proof = await client.getInclusionProof(leaf, 100, 40);
    verifyInclusion(40, 100, leaf, proof.auditPath, old.rootHash);
    expect(seen()).toEqual(['tile/0/000']);
  });

  it('kept partial tiles (keepPartialTiles) are not asked for either: the full one is kept', async () => {
    const ctx = await start(300, true);
    const client = ctx.client();
    await client.getTreeHead();
    const seen = watch();
    await client.getEntries(0, 10, 10);
    await client.getEntries(0, 20, 20);
    expect(seen().sort()).toEqual(['tile/0/000', 'tile/data/000']);
  });
});

describe('right after a checkpoint that needs the partial tile: the partial tile alone', () => {
  it('no full-tile request that cannot succeed, for every proof', async () => {
    const ctx = await start(300);
    const client = ctx.client();
    const head = await client.getTreeHead();
    const seen = watch();
    for (const index of [0, 299, 150]) {
      await client.getInclusionProof(ctx.log.served().entry(index).leafHash, head.treeSize, index);
    }
    expect(new Set(seen())).toEqual(new Set(['tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1']));
  });

  it('the tile filled since the checkpoint: the partial is gone (404), the full tile stands in', async () => {
    const ctx = await start(300);
    const client = ctx.client();
    const head = await client.getTreeHead();
    ctx.grow(300); // tile 0/001 fills: its partial tiles are no longer served
    const seen = watch();
    const leaf = ctx.log.served().entry(260).leafHash;
    const proof = await client.getInclusionProof(leaf, head.treeSize, 260);
    verifyInclusion(260, head.treeSize, leaf, proof.auditPath, head.rootHash);
    expect(seen().filter((p) => p.startsWith('tile/0/001'))).toEqual(['tile/0/001.p/44', 'tile/0/001']);
  });
});

describe('no checkpoint, or an old one: the partial and the full tile in parallel (the SHOULD)', () => {
  it('no checkpoint verified by this client: both asked for, the partial one used while not full', async () => {
    const ctx = await start(300);
    const seen = watch();
    const entries = await ctx.client().getEntries(256, 300, 300);
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: 44 }, (_, i) => 256 + i));
    expect(seen().sort()).toEqual(['tile/0/001', 'tile/0/001.p/44', 'tile/data/001', 'tile/data/001.p/44']);
  });

  it('an old checkpoint (over 10 s): both asked for; the full tile preferred and kept once it exists', async () => {
    const ctx = await start(300, true);
    const client = ctx.client();
    const head = await client.getTreeHead();
    ctx.clock += 11_000;
    ctx.grow(300);
    const seen = watch();
    const leaf = ctx.log.served().entry(270).leafHash;
    for (let i = 0; i < 2; i++) {
      const proof = await client.getInclusionProof(leaf, head.treeSize, 270);
      verifyInclusion(270, head.treeSize, leaf, proof.auditPath, head.rootHash);
    }
    // Both forms of 0/001 asked once; the second proof used the kept full tile.
    expect(
      seen()
        .filter((p) => p.startsWith('tile/0/001'))
        .sort(),
    ).toEqual(['tile/0/001', 'tile/0/001.p/44']);
  });

  it('neither form served: malformed, naming both', async () => {
    const ctx = await start(300);
    // A tile beyond the tree stands for one the log fails to serve (no checkpoint asked for it).
    const e = await ctx
      .client()
      .hashTile(0, 2, 10)
      .catch((err: unknown) => err);
    const missing = 'the log does not serve a tile its tree needs (HTTP 404)';
    expect(e).toMatchObject({ kind: 'malformed', status: 404 });
    expect((e as Error).message).toMatch(/\/tile\/0\/002\.p\/10: .*; nor the full tile: .*\/tile\/0\/002: /);
    expect((e as Error).message.split(missing)).toHaveLength(3);
  });
});
