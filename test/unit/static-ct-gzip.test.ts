/**
 * static-ct-api v1.1.0, "Log entries": "Clients MUST support Content-Encoding: gzip and logs MAY
 * use it with no negotiation. Clients SHOULD include gzip and identity in their Accept-Encoding
 * headers." Over loopback against the project's local log (log/): gzip-encoded tiles and
 * checkpoints read and verified, the size limit on the decoded bytes (a gzip bomb refused), and a
 * truncated or garbage gzip stream a precise error, never a crash or a hang.
 */
import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LogHttp, LogHttpError } from '../../src/logclient/http.js';
import { StaticCtClient } from '../../src/logclient/static-ct.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { createTestCa, issueWithEmbeddedScts } from '../support/test-pki.js';

const DAY = 86_400_000;
const LIMIT = 1 << 20;
const http = () => new LogHttp({ timeoutMs: 5000, retries: 0, backoffMs: 0, maxBytes: LIMIT });

let log: LocalCtLog;
let server: LocalLogServer;
let info: LogInfo;
const client = () => new StaticCtClient(info, http());

beforeAll(async () => {
  const ca = await createTestCa('ctlens gzip CA');
  const validity = { notBefore: Date.UTC(2025, 0, 1), notAfter: Date.UTC(2025, 11, 1) };
  const cert = (await issueWithEmbeddedScts(ca, { ...validity, logs: [] })).der;
  log = new LocalCtLog({ tiled: true });
  server = await startLocalLog(log);
  for (let i = 0; i < 300; i++) log.addChain([cert, ca.der]);
  info = parseLogList(logListJson(log, { url: server.url, at: Date.now() - 30 * DAY }), 'gzip test list').logs[0]!;
});
afterAll(() => server.close());
afterEach(() => {
  log.misbehave = {};
  log.serving.gzip = true;
});

/** A GET with exactly these headers (node:http adds no Accept-Encoding of its own, unlike fetch). */
interface RawAnswer {
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Buffer;
}

function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    get(new URL(path, server.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('the local log serves gzip as the spec allows', () => {
  it('data tiles gzip-encoded with no negotiation; checkpoint and hash tiles only when asked', async () => {
    const data = await rawGet('tile/data/000');
    expect(data.headers['content-encoding']).toBe('gzip');
    expect(data.bytes.subarray(0, 2)).toEqual(Buffer.of(0x1f, 0x8b));
    for (const path of ['checkpoint', 'tile/0/000', 'tile/0/001.p/44']) {
      expect((await rawGet(path)).headers['content-encoding'], path).toBeUndefined();
      const coding = async (accept: string) =>
        (await rawGet(path, { 'accept-encoding': accept })).headers['content-encoding'];
      expect(await coding('gzip, identity'), path).toBe('gzip');
      expect(await coding('br;q=1, *;q=0.5'), path).toBe('gzip');
      expect(await coding('gzip;q=0, *'), path).toBeUndefined();
      expect((await rawGet(path, { 'accept-encoding': 'identity' })).headers.vary, path).toBe('accept-encoding');
    }
    log.serving.gzip = false;
    expect((await rawGet('tile/data/000')).headers['content-encoding']).toBeUndefined();
  });

  it('LogHttp asks for gzip and identity (SHOULD), and reads the decoded body', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const probe = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
      await http().getBytes(`${url}tile/0/000`);
      await http()
        .getJson(`${url}ct/v1/get-sth`)
        .catch(() => undefined);
      expect(seen.map((h) => h['accept-encoding'])).toEqual(['gzip, identity', 'gzip, identity']);
    } finally {
      await new Promise((resolve) => probe.close(resolve));
    }
    const body = await http().getBody(new URL('tile/data/000', server.url).href);
    expect(body.encoding).toBe('gzip');
    expect(body.bytes.length).toBeGreaterThan(256 * 100);
  });
});

describe('the client reads gzip-encoded checkpoints and tiles', () => {
  it('proofs and entries, gzip on and off, are the same', async () => {
    const results = [];
    for (const gzip of [true, false]) {
      log.serving.gzip = gzip;
      const c = client();
      const head = await c.getTreeHead();
      const leaf = log.served().entry(17).leafHash;
      const proof = await c.getInclusionProof(leaf, head.treeSize, 17);
      verifyInclusion(17, head.treeSize, leaf, proof.auditPath, head.rootHash);
      const entries = await c.getEntries(250, 300);
      const hex = proof.auditPath.map((p) => Buffer.from(p).toString('hex'));
      results.push({ proof: hex, entries: entries.map((e) => e.index) });
    }
    expect(results[0]).toEqual(results[1]);
  });
});

describe('broken gzip: precise errors', () => {
  it('a gzip bomb (64 MiB from a few KiB) is refused at the limit on the decoded bytes, quickly', async () => {
    log.misbehave = { badGzip: 'bomb' };
    const bomb = await rawGet('checkpoint');
    expect(bomb.bytes.length).toBeLessThan(256 * 1024);
    const started = performance.now();
    const limit = `exceeds the ${LIMIT}-byte limit once decoded (Content-Encoding: gzip)`;
    const attempts = [() => client().getTreeHead(), () => client().hashTile(0, 0, 256), () => client().getDataTile(0)];
    for (const attempt of attempts) {
      const e = await attempt().catch((err: unknown) => err);
      expect(e).toBeInstanceOf(LogHttpError);
      expect(e).toMatchObject({ kind: 'malformed', message: expect.stringContaining(limit) });
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('garbage labelled gzip: the body does not decode, named', async () => {
    log.misbehave = { badGzip: 'garbage' };
    const e = await client()
      .getTreeHead()
      .catch((err: unknown) => err);
    expect(e).toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(
        /\/checkpoint: the body does not decode as Content-Encoding: gzip \(incorrect header check\)$/,
      ),
    });
    const tile = client().hashTile(0, 0, 256);
    await expect(tile).rejects.toMatchObject({ kind: 'malformed', message: expect.stringContaining('not decode as') });
  });

  it('a truncated gzip stream (fetch decodes it leniently): the short body refused, said to be gzip', async () => {
    const head = await client().getTreeHead();
    log.misbehave = { badGzip: 'truncated' };
    const hint = '(it came with Content-Encoding: gzip; a gzip stream cut short decodes short)';
    const checkpoint = await client()
      .getTreeHead()
      .catch((err: unknown) => err);
    expect(checkpoint).toMatchObject({ kind: 'malformed', message: expect.stringContaining(hint) });
    const tile = await client()
      .hashTile(0, 0, 256)
      .catch((err: unknown) => err);
    const short = /tile\/0\/000: the tile is \d+ bytes, expected 256 hashes of 32 bytes \(it came with/;
    expect(tile).toMatchObject({ kind: 'malformed', message: expect.stringMatching(short) });
    // The data tile cut, its hash tile not (fetched, and kept, before the misbehaviour).
    log.misbehave = {};
    const reader = client();
    await reader.hashTile(0, 0, 256);
    log.misbehave = { badGzip: 'truncated' };
    const data = await reader.getDataTile(0).catch((err: unknown) => err);
    const cut = /tile\/data\/000: entry \d+: .*\(it came with Content-Encoding: gzip/;
    expect(data).toMatchObject({ kind: 'malformed', message: expect.stringMatching(cut) });
    expect(head.treeSize).toBe(300);
  });
});
