/**
 * static-ct-api (c2sp.org/static-ct-api, tlog-tiles, tlog-checkpoint, signed-note): the test log
 * serves checkpoints, hash and data tiles and issuers from the same tree as /ct/v1/, and issues
 * SCTs with the leaf_index extension; StaticCtClient reads them over loopback, verifies the
 * checkpoint, builds inclusion and consistency proofs from tiles, and the audit uses it for tiled logs.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { proveSctInclusion, type ProveContext } from '../../src/inclusion/prove-sct.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { concatBytes, sha256, toHex } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import {
  CheckpointError,
  openCheckpoint,
  originFromUrl,
  parseCheckpointBody,
  parseSignedNote,
} from '../../src/logclient/checkpoint.js';
import { LogHttp, LogHttpError } from '../../src/logclient/http.js';
import { decodeDataTile } from '../../src/logclient/data-tile.js';
import { StaticCtClient } from '../../src/logclient/static-ct.js';
import { encodeTileIndex, parseTilePath, tilePath, tileWidth } from '../../src/logclient/tile-path.js';
import { sctLeafHash } from '../../src/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { decodeSct } from '../../src/sct/decode.js';
import { precertEntry, x509Entry, type SignedEntry } from '../../src/sct/signed-data.js';
import type { SctV1 } from '../../src/sct/types.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { precertTbs } from '../../src/x509/precert-tbs.js';
import { checkpointKeyId, signatureLine } from '../../log/checkpoint-note.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { beginIssuance, createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const NOT_BEFORE = Date.UTC(2025, 0, 1);
const NOT_AFTER = Date.UTC(2025, 11, 1);
const http = () => new LogHttp({ timeoutMs: 3000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });

let ca: TestCa;
const servers: LocalLogServer[] = [];
beforeAll(async () => {
  ca = await createTestCa('ctlens static-ct CA');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Running {
  log: LocalCtLog;
  server: LocalLogServer;
  info: LogInfo;
  client: StaticCtClient;
}

async function start(options: ConstructorParameters<typeof LocalCtLog>[0] = {}): Promise<Running> {
  const log = new LocalCtLog({ tiled: true, ...options });
  const server = await startLocalLog(log);
  servers.push(server);
  const list = parseLogList(logListJson(log, { url: server.url, at: Date.now() - 30 * DAY }), 'static-ct test list');
  const info = list.logs[0]!;
  return { log, server, info, client: new StaticCtClient(info, http()) };
}

let serial = 0;
const plainCert = async (): Promise<Uint8Array> =>
  (
    await issueWithEmbeddedScts(ca, {
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      logs: [],
      subject: `tiled${serial++}.test`,
    })
  ).der;

/** An SCT from the log for a fresh certificate, and the entry it signed. */
async function submitted(log: LocalCtLog): Promise<{ sct: SctV1; entry: SignedEntry; leaf: Uint8Array }> {
  const cert = await plainCert();
  const sct = decodeSct(log.addChain([cert, ca.der]).bytes) as SctV1;
  const entry = x509Entry(cert);
  return { sct, entry, leaf: sctLeafHash(sct, entry) };
}

const raw = async (server: LocalLogServer, path: string) => {
  const res = await fetch(new URL(path, server.url));
  return { status: res.status, type: res.headers.get('content-type'), body: new Uint8Array(await res.arrayBuffer()) };
};

// ---------------------------------------------------------------------------------------------

describe('tile paths (tlog-tiles, static-ct-api "Merkle Tree")', () => {
  it.each([
    [0, '000'],
    [7, '007'],
    [999, '999'],
    [1000, 'x001/000'],
    [1234067, 'x001/x234/067'],
    [1_000_000, 'x001/x000/000'],
  ])('index %i → %s', (n, encoded) => {
    expect(encodeTileIndex(n)).toBe(encoded);
  });

  it('full and partial hash and data tiles', () => {
    expect(tilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(tilePath({ level: 0, index: 0, width: 7 })).toBe('tile/0/000.p/7');
    expect(tilePath({ level: 2, index: 1234067, width: 255 })).toBe('tile/2/x001/x234/067.p/255');
    expect(tilePath({ level: 'data', index: 1000, width: 1 })).toBe('tile/data/x001/000.p/1');
    expect(() => tilePath({ level: 6, index: 0, width: 1 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 0 })).toThrow(RangeError);
    expect(() => encodeTileIndex(-1)).toThrow(RangeError);
  });

  it('parses only canonical paths', () => {
    expect(parseTilePath('tile/0/x001/x234/067.p/7')).toEqual({ level: 0, index: 1234067, width: 7 });
    expect(parseTilePath('tile/data/000')).toEqual({ level: 'data', index: 0, width: 256 });
    for (const bad of [
      'tile/0/x000/001',
      'tile/0/000.p/256',
      'tile/0/000.p/0',
      'tile/0/000.p/07',
      'tile/6/000',
      'tile/00/000',
      'tile/0/00',
      'tile/0/001/002',
      'tile/0/x001',
      'tile/1/000.p/',
    ])
      expect(parseTilePath(bad), bad).toBeUndefined();
  });

  it('tile widths: a tree of 70,000 (the spec example)', () => {
    expect(tileWidth(0, 272, 70_000)).toBe(256);
    expect(tileWidth(0, 273, 70_000)).toBe(112);
    expect(tileWidth(1, 0, 70_000)).toBe(256);
    expect(tileWidth(1, 1, 70_000)).toBe(17);
    expect(tileWidth(2, 0, 70_000)).toBe(1);
    expect(tileWidth(0, 274, 70_000)).toBe(0);
    expect(tileWidth(1, 0, 256)).toBe(1);
  });
});

describe('checkpoints (static-ct-api "Checkpoints", signed-note, tlog-checkpoint)', () => {
  let ctx: Running;
  beforeAll(async () => {
    ctx = await start();
    for (let i = 0; i < 3; i++) await submitted(ctx.log);
  });
  afterEach(() => {
    ctx.log.misbehave = {};
    ctx.log.serving.realisticCheckpoints = true;
  });
  const note = async () => new TextDecoder().decode((await raw(ctx.server, 'checkpoint')).body);
  const verifier = new SignatureVerifier();

  it('the log serves the same tree as /ct/v1/, as a note the client verifies', async () => {
    // The plain form, the log's line alone (the realistic, shuffled form: local-log-v11.test.ts).
    ctx.log.serving.realisticCheckpoints = false;
    const res = await raw(ctx.server, 'checkpoint');
    expect(res.type).toBe('text/plain; charset=utf-8');
    const text = new TextDecoder().decode(res.body);
    const origin = originFromUrl(ctx.server.url);
    expect(origin).toMatch(/^127\.0\.0\.1:\d+$/);
    const sth = ctx.log.sth();
    expect(text.split('\n').slice(0, 4)).toEqual([origin, '3', Buffer.from(sth.rootHash).toString('base64'), '']);
    const keyId = createHash('sha256').update(`${origin}\n\x05`).update(ctx.log.logId).digest().subarray(0, 4);
    // A prefix compared as text: the key id's base64 may hold '+' or '/', which a RegExp would misread.
    const signatureLine = text.split('\n')[4]!;
    const prefix = `\u2014 ${origin} ${Buffer.from(keyId).toString('base64').slice(0, 4)}`;
    expect(signatureLine.slice(0, prefix.length)).toBe(prefix);
    const head = await ctx.client.getTreeHead();
    expect(head).toMatchObject({ logId: ctx.log.logIdBase64, treeSize: 3, rootHash: sth.rootHash });
    expect(head.signature.subarray(0, 2)).toEqual(Uint8Array.of(4, 3));
  });

  it('a witness cosignature, and a signature under the log name by another key, are ignored', async () => {
    const text = await note();
    const witness = signatureLine('witness.example/w1', Uint8Array.of(1, 2, 3, 4), new Uint8Array(72).fill(7));
    const impostor = signatureLine(
      originFromUrl(ctx.server.url),
      Uint8Array.of(9, 9, 9, 9),
      new Uint8Array(64).fill(1),
    );
    for (const withExtra of [
      text + witness,
      text + witness + impostor,
      text.replace('\n\n', `\n\n${witness.slice(0, -1)}\n`),
    ]) {
      const head = await openCheckpoint(withExtra, ctx.info, originFromUrl(ctx.server.url), verifier);
      expect(head.treeSize).toBe(3);
    }
  });

  it('refuses a bad log signature, through the client as malformed', async () => {
    ctx.log.misbehave = { badSthSignature: true };
    const error = await ctx.client.getTreeHead().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogHttpError);
    expect(error).toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('tree head signature does not verify'),
    });
  });

  it("refuses a note without the log's signature: only a witness, or another log's key", async () => {
    const text = await note();
    const [body] = text.split('\n\n');
    const witnessOnly =
      `${body}\n\n` + `${signatureLine('witness.example/w1', Uint8Array.of(1, 2, 3, 4), new Uint8Array(72).fill(7))}`;
    await expect(openCheckpoint(witnessOnly, ctx.info, undefined, verifier)).rejects.toThrow(
      /no signature from the log's key/,
    );
    const other = await start();
    await expect(openCheckpoint(text, other.info, undefined, verifier)).rejects.toThrow(
      /no signature from the log's key/,
    );
    // A genuine signature line of another key type under the log's key ID is still verified (and fails).
    const origin = originFromUrl(ctx.server.url);
    const forged =
      `${body}\n\n` +
      signatureLine(
        origin,
        checkpointKeyId(origin, ctx.log.logId),
        Buffer.concat([Buffer.alloc(8), Buffer.of(4, 3, 0, 2, 0x30, 0)]),
      );
    await expect(openCheckpoint(forged, ctx.info, undefined, verifier)).rejects.toThrow(CheckpointError);
  });

  it('refuses the wrong origin, and a malformed note (client: malformed)', async () => {
    const text = await note();
    await expect(openCheckpoint(text, ctx.info, 'elsewhere.example/2025', verifier)).rejects.toThrow(
      /origin "127\.0\.0\.1:\d+" is not the log's "elsewhere\.example\/2025"/,
    );
    const lines = text.split('\n');
    const variants: [string, RegExp][] = [
      [text.slice(0, -1), /does not end in a newline/],
      [text.replace('\n', '\r\n'), /control character U\+000d/],
      [text.replace('\n\n', '\n'), /no blank line/],
      [`${lines.slice(0, 3).join('\n')}\n\n`, /no signature lines/],
      [text.replace(`\n${lines[1]}\n`, `\n0${lines[1]}\n`), /leading zeros/],
      [text.replace('\n\n', '\nextension\n\n'), /must not have extension lines/],
      [text.replace('\u2014 ', '- '), /signature line 1/],
      [text.replace(`\n${lines[2]}\n`, '\nAAAA\n'), /root hash is 3 bytes/],
    ];
    for (const [bad, message] of variants)
      await expect(openCheckpoint(bad, ctx.info, undefined, verifier), JSON.stringify(bad)).rejects.toThrow(message);
    expect(() => parseSignedNote(Uint8Array.of(0xff, 0x0a))).toThrow(/not UTF-8/);
    expect(() => parseCheckpointBody('o\n18446744073709551615\nAAAA\n')).toThrow(/larger than this client handles/);

    ctx.log.misbehave = { garbage: true };
    await expect(ctx.client.getTreeHead()).rejects.toMatchObject({ kind: 'malformed' });
    ctx.log.misbehave = { garbage: 'not-json' };
    await expect(ctx.client.getTreeHead()).rejects.toMatchObject({ kind: 'malformed' });
  });
});

describe('a ~600-entry tiled log: proofs from tiles', () => {
  const SIZE = 600;
  let ctx: Running;
  const scts: { sct: SctV1; leaf: Uint8Array }[] = [];

  beforeAll(async () => {
    ctx = await start();
    // The same certificate each time: the leaf_index extension makes every leaf distinct.
    // Every 50th is a precertificate.
    const cert = await plainCert();
    for (let i = 0; i < SIZE; i++) {
      if (i % 50 === 7) {
        const pending = await beginIssuance(ca, {
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
          subject: `pre${serial++}.test`,
        });
        const sct = decodeSct(ctx.log.addPreChain([pending.precert, ca.der]).bytes) as SctV1;
        const final = await pending.finish([sct.raw]);
        scts.push({
          sct,
          leaf: sctLeafHash(sct, precertEntry(sha256(ca.spki), precertTbs(parseCertificate(final.der)))),
        });
      } else {
        const sct = decodeSct(ctx.log.addChain([cert, ca.der]).bytes) as SctV1;
        scts.push({ sct, leaf: sctLeafHash(sct, x509Entry(cert)) });
      }
    }
  }, 30_000);

  it('SCTs carry leaf_index; the MerkleTreeLeaf includes the extension (RFC 6962 §3.4)', async () => {
    expect(scts.map((s) => s.sct.leafIndex)).toEqual(Array.from({ length: SIZE }, (_, i) => i));
    const { sct, leaf } = scts[300]!;
    expect(toHex(sct.extensions)).toBe('000005000000012c');
    const entry = ctx.log.served().entry(300);
    expect(toHex(entry.leafInput.subarray(entry.leafInput.length - 10))).toBe('0008' + '000005000000012c');
    expect(entry.leafHash).toEqual(leaf);
  });

  it('every leaf: the inclusion proof from tiles verifies against the checkpoint', async () => {
    const head = await ctx.client.getTreeHead();
    expect(head.treeSize).toBe(SIZE);
    await Promise.all(
      scts.map(async ({ sct, leaf }) => {
        const proof = await ctx.client.getInclusionProof(leaf, head.treeSize, sct.leafIndex);
        expect(proof.leafIndex).toBe(sct.leafIndex);
        verifyInclusion(proof.leafIndex, head.treeSize, leaf, proof.auditPath, head.rootHash);
      }),
    );
  });

  it('past tree sizes, where the log now serves the full tile in place of the partial one', async () => {
    const tree = ctx.log.served().tree;
    for (const size of [1, 2, 7, 255, 256, 257, 300, 511, 512, 513]) {
      for (const index of new Set([0, size >> 1, size - 1])) {
        const proof = await ctx.client.getInclusionProof(scts[index]!.leaf, size, index);
        verifyInclusion(index, size, scts[index]!.leaf, proof.auditPath, tree.root(size));
      }
    }
  });

  it('consistency proofs from tiles between sizes across tile boundaries', async () => {
    const tree = ctx.log.served().tree;
    const sizes = [0, 1, 2, 3, 7, 8, 255, 256, 257, 300, 511, 512, 513, 599, 600];
    for (const second of sizes)
      for (const first of sizes.filter((f) => f <= second)) {
        const proof = await ctx.client.getConsistency(first, second);
        verifyConsistency(first, second, proof, tree.root(first), tree.root(second));
      }
  });

  it(
    'a leaf index the tree does not reach, or another entry at it, is not-found; ' + 'no leaf_index is malformed',
    async () => {
      const { sct, leaf } = scts[10]!;
      await expect(ctx.client.getInclusionProof(leaf, 10, sct.leafIndex)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(ctx.client.getInclusionProof(leaf, SIZE, 11)).rejects.toMatchObject({
        kind: 'not-found',
        message: expect.stringContaining('another entry'),
      });
      await expect(ctx.client.getInclusionProof(leaf, SIZE)).rejects.toMatchObject({
        kind: 'malformed',
        message: expect.stringContaining("a tiled log's SCT must carry leaf_index"),
      });
    },
  );

  it('data tiles hold TileLeafs matching the level-0 hashes; issuers are served by fingerprint', async () => {
    const level0 = [
      ...(await raw(ctx.server, 'tile/0/000')).body,
      ...(await raw(ctx.server, 'tile/0/001')).body,
      ...(await raw(ctx.server, 'tile/0/002.p/88')).body,
    ];
    expect(level0.length).toBe(SIZE * 32);
    const data = [
      await raw(ctx.server, 'tile/data/000'),
      await raw(ctx.server, 'tile/data/001'),
      await raw(ctx.server, 'tile/data/002.p/88'),
    ];
    expect(data.map((d) => [d.status, d.type])).toEqual(Array(3).fill([200, 'application/octet-stream']));
    const leaves = data.flatMap((d) => readTileLeaves(d.body));
    expect(leaves).toHaveLength(SIZE);
    leaves.forEach((l, i) => {
      // SHA-256(0x00 ‖ MerkleTreeLeaf), the leaf being version 0 ‖ leaf_type 0 ‖ TimestampedEntry
      // (RFC 6962 §2.1, §3.4).
      expect(Buffer.from(sha256(Buffer.concat([Buffer.of(0, 0, 0), l.timestampedEntry])))).toEqual(
        Buffer.from(level0.slice(i * 32, (i + 1) * 32)),
      );
      expect(l.precert).toBe(i % 50 === 7);
      expect(l.chain).toEqual([toHex(sha256(ca.der))]);
    });
    const issuer = await raw(ctx.server, `issuer/${toHex(sha256(ca.der))}`);
    expect([issuer.status, issuer.type]).toEqual([200, 'application/pkix-cert']);
    expect(issuer.body).toEqual(ca.der);
    // Not served: a partial tile once full, an empty or too wide one, a non-canonical path, an unknown issuer.
    for (const path of [
      'tile/0/000.p/5',
      'tile/0/002.p/89',
      'tile/0/002',
      'tile/0/003.p/1',
      'tile/0/x000/001',
      'tile/2/000',
      `issuer/${'0'.repeat(64)}`,
      'issuer/xyz',
    ])
      expect((await raw(ctx.server, path)).status, path).toBe(404);
    expect((await raw(ctx.server, 'tile/1/000.p/2')).body.length).toBe(64);
    expect((await fetch(new URL('checkpoint', ctx.server.url), { method: 'POST' })).status).toBe(405);
  });

  it('full tiles are fetched once and kept; partial tiles every time', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const client = new StaticCtClient(ctx.info, http());
      const head = await client.getTreeHead();
      for (const index of [0, 1, 255, 256, 400, 599, 598, 3])
        await client.getInclusionProof(scts[index]!.leaf, head.treeSize, index);
      const paths = spy.mock.calls.map(([url]) => new URL(String(url)).pathname.slice(1));
      const count = (p: string) => paths.filter((x) => x === p).length;
      expect(count('tile/0/000')).toBe(1);
      expect(count('tile/0/001')).toBe(1);
      // Every proof in a tree of 600 needs the right edge: [512, 600) from the partial level-0 tile,
      // [0, 512) from level 1.
      expect(count('tile/1/000.p/2')).toBe(8);
      expect(count('tile/0/002.p/88')).toBe(8);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('StaticCtClient: entries from data tiles, issuers by fingerprint', () => {
  const SIZE = 300;
  let ctx: Running;
  let cert: Uint8Array;
  const precerts = new Map<number, { precert: Uint8Array; tbs: Uint8Array }>();

  beforeAll(async () => {
    ctx = await start();
    cert = await plainCert();
    for (let i = 0; i < SIZE; i++) {
      if (i % 100 === 3 || i === 299) {
        const pending = await beginIssuance(ca, {
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
          subject: `data${serial++}.test`,
        });
        const sct = decodeSct(ctx.log.addPreChain([pending.precert, ca.der]).bytes) as SctV1;
        const final = await pending.finish([sct.raw]);
        precerts.set(i, { precert: pending.precert, tbs: precertTbs(parseCertificate(final.der)) });
      } else ctx.log.addChain([cert, ca.der]);
    }
  }, 30_000);
  afterEach(() => {
    ctx.log.misbehave = {};
    vi.restoreAllMocks();
  });

  it("entries across a full and a partial data tile decode, and their leaf hashes are the hash tiles'", async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const client = new StaticCtClient(ctx.info, http());
    const entries = await client.getEntries(0, SIZE);
    const paths = spy.mock.calls.map(([url]) => new URL(String(url)).pathname.slice(1));
    expect(paths.filter((p) => p.startsWith('tile/data/')).sort()).toEqual(['tile/data/000', 'tile/data/001.p/44']);
    expect(entries).toHaveLength(SIZE);
    const served = ctx.log.served();
    for (const [i, entry] of entries.entries()) {
      expect(entry.index).toBe(i);
      expect(entry.leafHash).toEqual(served.entry(i).leafHash);
      expect(entry.leafHash).toEqual(served.tree.completeNode(0, i));
      expect(entry.extensions).toEqual(
        Uint8Array.from(Buffer.from(`000005${i.toString(16).padStart(10, '0')}`, 'hex')),
      );
      expect(entry.chain.map((c) => toHex(c))).toEqual([toHex(sha256(ca.der))]);
      expect(entry.timestamp).toBe(served.entry(i).timestamp);
      const pre = precerts.get(i);
      if (pre) {
        expect(entry.type).toBe('precert_entry');
        if (entry.type !== 'precert_entry') continue;
        expect(entry.preCertificate).toEqual(pre.precert);
        expect(entry.tbsCertificate).toEqual(pre.tbs);
        expect(entry.issuerKeyHash).toEqual(sha256(ca.spki));
        expect(entry.signedEntry).toEqual(precertEntry(sha256(ca.spki), pre.tbs));
      } else {
        expect(entry.type).toBe('x509_entry');
        if (entry.type === 'x509_entry') expect(entry.certificate).toEqual(cert);
        expect(entry.signedEntry).toEqual(x509Entry(cert));
      }
    }
    // A sub-range, and the current checkpoint's tree by default; the full data tile is not fetched again.
    const head = await client.getTreeHead();
    expect((await client.getEntries(250, 260)).map((e) => e.index)).toEqual(
      Array.from({ length: 10 }, (_, i) => 250 + i),
    );
    expect(await client.getEntries(5, 5, head.treeSize)).toEqual([]);
    expect(spy.mock.calls.filter(([url]) => String(url).endsWith('tile/data/000'))).toHaveLength(1);
    await expect(client.getEntries(0, SIZE + 1, SIZE)).rejects.toThrow(RangeError);
  });

  it('a past tree size whose partial data tile the log no longer serves is read from the full tile', async () => {
    const client = new StaticCtClient(ctx.info, http());
    const entries = await client.getEntries(250, 256, 256);
    expect(entries.map((e) => e.index)).toEqual([250, 251, 252, 253, 254, 255]);
    expect((await raw(ctx.server, 'tile/data/000.p/10')).status).toBe(404);
    const ten = await client.getDataTile(0, 10);
    expect(ten.map((e) => e.leafHash)).toEqual(
      Array.from({ length: 10 }, (_, i) => ctx.log.served().tree.completeNode(0, i)),
    );
  });

  it("a precert entry's fingerprints resolve through getIssuer; its issuer_key_hash is the issuer's key", async () => {
    const client = new StaticCtClient(ctx.info, http());
    const [entry] = await client.getEntries(103, 104, SIZE);
    expect(entry?.type).toBe('precert_entry');
    if (entry?.type !== 'precert_entry') return;
    expect(entry.chain).toHaveLength(1);
    const issuer = await client.getIssuer(entry.chain[0]!);
    expect(issuer.der).toEqual(ca.der);
    expect(sha256(issuer.spki)).toEqual(entry.issuerKeyHash);
    // Kept: the second look-up does not fetch.
    const spy = vi.spyOn(globalThis, 'fetch');
    expect((await client.getIssuer(entry.chain[0]!)).der).toEqual(ca.der);
    expect(spy).not.toHaveBeenCalled();
    await expect(client.getIssuer(new Uint8Array(32))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(client.getIssuer(new Uint8Array(31))).rejects.toThrow(RangeError);
  });

  it('an issuer that does not hash to its fingerprint, or is no certificate, is malformed', async () => {
    const fingerprint = sha256(ca.der);
    const other = await plainCert();
    vi.spyOn(ctx.log, 'issuer').mockReturnValue(other);
    await expect(new StaticCtClient(ctx.info, http()).getIssuer(fingerprint)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(
        new RegExp(
          `issuer/${toHex(fingerprint)}: the log served a certificate whose SHA-256 is ${toHex(sha256(other))}, ` +
            'not the fingerprint asked for',
        ),
      ),
    });
    const junk = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
    vi.spyOn(ctx.log, 'issuer').mockReturnValue(junk);
    await expect(new StaticCtClient(ctx.info, http()).getIssuer(sha256(junk))).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('the issuer is not a certificate'),
    });
  });

  it('garbage (a truncated data tile) is malformed, naming where decoding stopped', async () => {
    const client = new StaticCtClient(ctx.info, http());
    await client.hashTile(0, 0, 256);
    await client.hashTile(0, 1, 44);
    ctx.log.misbehave = { garbage: true };
    await expect(client.getDataTile(0)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(/tile\/data\/000: entry \d+: .*needs \d+ bytes at offset \d+/),
    });
    // With the hash tile also cut short, the hash tile is refused first.
    await expect(new StaticCtClient(ctx.info, http()).getEntries(256, 300, SIZE)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('expected 44 hashes'),
    });
  });

  it('data tiles that disagree with the hash tiles are malformed', async () => {
    ctx.log.misbehave = { wrongProofs: true };
    await expect(new StaticCtClient(ctx.info, http()).getEntries(0, SIZE, SIZE)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(
        new RegExp(
          'tile/data/000: entry 255 has leaf hash [0-9a-f]{64}, ' +
            "but the level-0 hash tile has [0-9a-f]{64} \\(the log's data and hash tiles disagree\\)",
        ),
      ),
    });
  });

  it(
    'strict TileLeaf decoding: wrong entry_type, leaf_index, fingerprint lengths, ' + 'trailing bytes, missing entries',
    async () => {
      const tile = (await raw(ctx.server, 'tile/data/001.p/44')).body;
      // The first TileLeaf (an x509_entry): its TimestampedEntry, then certificate_chain 00 20 ‖ fingerprint.
      const full = (await raw(ctx.server, 'tile/data/000')).body;
      const one = full.subarray(0, decodeDataTile(full, 0, 256)[0]!.timestampedEntry.length + 34);
      expect(decodeDataTile(one, 0, 1)[0]!.leafHash).toEqual(ctx.log.served().tree.completeNode(0, 0));
      expect(decodeDataTile(tile, 256, 44).map((e) => e.index)).toEqual(Array.from({ length: 44 }, (_, i) => 256 + i));
      const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => decodeDataTile(mutate(Uint8Array.from(one)), 0, 1);
      expect(
        bad((b) => {
          b[9] = 7;
          return b;
        }),
      ).toThrow(/entry 0: entry_type is 7, neither x509_entry \(0\) nor precert_entry \(1\)/);
      expect(() => decodeDataTile(one, 1, 1)).toThrow(
        /entry 1: the leaf_index extension says 0, not the entry's position 1/,
      );
      expect(bad((b) => concatBytes(b, Uint8Array.of(0)))).toThrow(/the tile of 1 entries: 1 trailing bytes/);
      expect(() => decodeDataTile(one, 0, 2)).toThrow(/the tile ends after 1 entries, expected 2/);
      // The chain: 00 20 ‖ fingerprint. Make it 31 bytes long (and drop a byte).
      expect(
        bad((b) => concatBytes(b.subarray(0, b.length - 34), Uint8Array.of(0, 31), b.subarray(b.length - 31))),
      ).toThrow(/entry 0: certificate_chain is 31 bytes, not a whole number of 32-byte fingerprints/);
      // The extensions (00 08 ‖ 00 00 05 ‖ index) emptied: no leaf_index.
      const at = one.length - 34 - 10;
      expect(toHex(one.subarray(at, at + 5))).toBe('0008000005');
      expect(bad((b) => concatBytes(b.subarray(0, at), Uint8Array.of(0, 0), b.subarray(at + 10)))).toThrow(
        /entry 0: extensions: no leaf_index extension/,
      );
    },
  );
});

describe('the audit of tiled logs (proveSctInclusion, proveInclusion)', () => {
  let ctx: Running;
  const context = (client: StaticCtClient, at = Date.now()): ProveContext => ({
    client,
    at,
    onTreeHead: async () => undefined,
  });
  beforeAll(async () => {
    ctx = await start();
  });
  afterEach(() => {
    ctx.log.misbehave = {};
  });

  it('included', async () => {
    const { sct, entry } = await submitted(ctx.log);
    await submitted(ctx.log);
    const result = await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(ctx.client));
    expect(result).toMatchObject({ status: 'included', leafIndex: sct.leafIndex });
  });

  it('not-included with wrongProofs: a flipped hash in a tile', async () => {
    const { sct, entry } = await submitted(ctx.log);
    await submitted(ctx.log);
    ctx.log.misbehave = { wrongProofs: true };
    const result = await proveSctInclusion(
      sct,
      sctLeafHash(sct, entry),
      ctx.info,
      context(new StaticCtClient(ctx.info, http())),
    );
    expect(result).toMatchObject({
      status: 'not-included',
      misbehaved: true,
      detail: expect.stringContaining('does not verify'),
    });
  });

  it('error for a bad checkpoint signature, and for garbage', async () => {
    const { sct, entry } = await submitted(ctx.log);
    ctx.log.misbehave = { badSthSignature: true };
    expect(await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(ctx.client))).toMatchObject({
      status: 'error',
      detail: expect.stringContaining('checkpoint signature'),
    });
    ctx.log.misbehave = { garbage: true };
    expect(await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(ctx.client))).toMatchObject({
      status: 'error',
    });
  });

  it('fork: the SCT whose entry the fork replaced is not included after the MMD', async () => {
    const { sct, entry } = await submitted(ctx.log);
    ctx.log.misbehave = { fork: true };
    const client = new StaticCtClient(ctx.info, http());
    expect(await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(client))).toMatchObject({
      status: 'pending',
    });
    expect(
      await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(client, Date.now() + 2 * DAY)),
    ).toMatchObject({ status: 'not-included', misbehaved: true });
  });

  it('unavailable: a log slower than the timeout', async () => {
    const { sct, entry } = await submitted(ctx.log);
    ctx.log.misbehave = { slowMs: 400 };
    const client = new StaticCtClient(
      ctx.info,
      new LogHttp({ timeoutMs: 100, retries: 0, backoffMs: 0, maxBytes: 1 << 20 }),
    );
    expect(await proveSctInclusion(sct, sctLeafHash(sct, entry), ctx.info, context(client))).toMatchObject({
      status: 'unavailable',
    });
  });

  it('pending with mergeDelayMs (leaf_index beyond the tree), then included', async () => {
    let now = Date.now();
    const delayed = await start({ mergeDelayMs: 60_000, now: () => now });
    await submitted(delayed.log);
    now += 60_000;
    const { sct, entry } = await submitted(delayed.log);
    expect(sct.leafIndex).toBe(1);
    expect(
      await proveSctInclusion(sct, sctLeafHash(sct, entry), delayed.info, context(delayed.client, now)),
    ).toMatchObject({ status: 'pending', treeSize: 1 });
    now += 60_000;
    expect(
      await proveSctInclusion(sct, sctLeafHash(sct, entry), delayed.info, context(delayed.client, now)),
    ).toMatchObject({ status: 'included', treeSize: 2, leafIndex: 1 });
  });

  it("an SCT without leaf_index (from an RFC 6962 log's key) is an error, not misbehaviour", async () => {
    const plain = new LocalCtLog({ privateKey: ctx.log.privateKey });
    const cert = await plainCert();
    const sct = decodeSct(plain.addChain([cert]).bytes) as SctV1;
    expect(sct.leafIndex).toBeUndefined();
    const result = await proveSctInclusion(sct, sctLeafHash(sct, x509Entry(cert)), ctx.info, context(ctx.client));
    expect(result).toMatchObject({ status: 'error', detail: expect.stringContaining('must carry leaf_index') });
  });

  it(
    'decide() verifies embedded tiled SCTs and reports leafIndex; ' + 'proveInclusion reads the tiled log by default',
    async () => {
      const other = await start();
      await submitted(other.log);
      const second = Math.floor(Date.now() / 1000) * 1000;
      const pending = await beginIssuance(ca, {
        notBefore: second - DAY,
        notAfter: second + 30 * DAY,
        subject: 'tiled-audit.example',
      });
      const scts = [ctx.log, other.log].map((log) => log.addPreChain([pending.precert, ca.der]).bytes);
      const chain = [(await pending.finish(scts)).der, ca.der];
      const registry = new LogRegistry([{ list: parseLogList(mergedList([ctx, other]), 'tiled list'), signed: false }]);
      const { verification } = await decide({ chain, registry });
      expect(verification.scts.map((s) => [s.status, s.log?.type, (s.sct as SctV1).leafIndex])).toEqual([
        ['valid', 'tiled', ctx.log.treeSize - 1],
        ['valid', 'tiled', 1],
      ]);
      const store = new MemoryHeadStore();
      const audit = await proveInclusion(verification, { store, at: Date.now(), http: http() });
      expect(
        audit.inclusion.map((r) => [r.status, r.leafIndex]),
        JSON.stringify(audit.inclusion),
      ).toEqual([
        ['included', ctx.log.treeSize - 1],
        ['included', 1],
      ]);
      expect(audit.misbehaved).toBe(false);
      // A second audit after growth checks consistency from the stored checkpoint, through tiles.
      await submitted(ctx.log);
      const again = await proveInclusion(verification, { store, at: Date.now(), http: http() });
      expect(again.alerts).toEqual([]);
      expect(again.notes).toEqual([]);
      expect((await store.load(ctx.log.logIdBase64)).length).toBe(2);
    },
  );
});

/** One v3 list with several tiled logs under one operator. */
function mergedList(running: readonly Running[]): string {
  const lists = running.map((r) => JSON.parse(logListJson(r.log, { url: r.server.url, at: Date.now() - 30 * DAY })));
  return JSON.stringify({
    ...lists[0],
    operators: [{ ...lists[0].operators[0], tiled_logs: lists.flatMap((l) => l.operators[0].tiled_logs) }],
  });
}

/** TileLeaf entries (static-ct-api "Log entries"), parsed with Node's Buffer, independently of src/. */
function readTileLeaves(tile: Uint8Array): { timestampedEntry: Buffer; precert: boolean; chain: string[] }[] {
  const b = Buffer.from(tile);
  const out = [];
  let o = 0;
  const u = (n: number) => {
    const v = b.readUIntBE(o, n);
    o += n;
    return v;
  };
  /** Skips an opaque vector with an n-byte length prefix. */
  const skip = (n: number) => {
    const length = u(n);
    o += length;
  };
  while (o < b.length) {
    const start = o;
    o += 8; // timestamp
    const type = u(2);
    if (type === 1) o += 32; // issuer_key_hash
    skip(3); // certificate or tbs_certificate
    skip(2); // extensions
    const timestampedEntry = b.subarray(start, o);
    if (type === 1) skip(3); // pre_certificate
    const chainEnd = u(2) + o;
    const chain = [];
    while (o < chainEnd) chain.push(b.subarray(o, (o += 32)).toString('hex'));
    out.push({ timestampedEntry, precert: type === 1, chain });
  }
  return out;
}
