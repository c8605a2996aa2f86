/**
 * The project's local log (`npm run log`, log/) as real static-ct-api v1.1.0 logs are: its
 * checkpoints carry the RFC6962NoteSignature, a cosignature/v1 by its own Ed25519 key under the
 * origin and GREASE, in a new order each time, switchable to the plain form; and it can refuse
 * precertificates issued through a Precertificate Signing Certificate (v1.1.0 "Submission APIs"),
 * the refusal reaching the client's error message. Each line is checked with node:crypto here,
 * independently of src/.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogHttp, LogHttpError } from '../../src/logclient/http.js';
import { Rfc6962Client } from '../../src/logclient/rfc6962.js';
import { StaticCtClient } from '../../src/logclient/static-ct.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { defaultServing, servingFromArgs, type Serving } from '../../log/serving.js';
import { pemCert } from '../support/fixtures.js';
import { serve } from '../support/http-server.js';
import { beginPrecaIssuance, createPrecertSigningCa } from '../support/precert-signing-ca.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const http = () => new LogHttp({ timeoutMs: 3000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });
const servers: { close(): Promise<void> }[] = [];
let ca: TestCa;

beforeAll(async () => {
  ca = await createTestCa('ctlens v1.1 CA');
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

interface Running {
  readonly log: LocalCtLog;
  readonly server: LocalLogServer;
  readonly info: LogInfo;
}

async function start(serving: Partial<Serving> = {}): Promise<Running> {
  const log = new LocalCtLog({ tiled: true, serving });
  const server = await startLocalLog(log);
  servers.push(server);
  const info = parseLogList(logListJson(log, { url: server.url, at: Date.now() - 30 * DAY }), 'v1.1 list').logs[0]!;
  return { log, server, info };
}

const keyId = (name: string, type: number, key: Uint8Array) =>
  createHash('sha256').update(name).update(Buffer.of(0x0a, type)).update(key).digest().subarray(0, 4).toString('hex');

describe('realistic checkpoints from the local log', () => {
  it('four lines, each what it claims, in changing orders; the client opens every one', async () => {
    const { log, server, info } = await start();
    const client = new StaticCtClient(info, http());
    const origin = new URL(server.url).host;
    const edPublic = createPublicKey(log.noteKey).export({ type: 'spki', format: 'der' }).subarray(-32);
    const orders = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const note = await (await fetch(new URL('checkpoint', server.url))).text();
      const [body, block] = [note.slice(0, note.lastIndexOf('\n\n') + 1), note.slice(note.lastIndexOf('\n\n') + 2)];
      const lines = block
        .slice(0, -1)
        .split('\n')
        .map((l) => {
          const [dash, name, b64] = l.split(' ');
          expect(dash).toBe('\u2014');
          const bytes = Buffer.from(b64!, 'base64');
          return { name: name!, id: bytes.subarray(0, 4).toString('hex'), sig: bytes.subarray(4) };
        });
      const kind = (l: (typeof lines)[number]) =>
        l.name === 'grease.invalid'
          ? 'grease'
          : l.id === keyId(origin, 0x05, log.logId)
            ? 'rfc6962'
            : l.id === keyId(origin, 0x04, edPublic)
              ? 'ed25519'
              : 'grease-origin';
      orders.add(lines.map(kind).join(','));
      expect(lines.map(kind).sort()).toEqual(['ed25519', 'grease', 'grease-origin', 'rfc6962']);
      expect(lines.filter((l) => l.name === origin)).toHaveLength(3);
      // tlog-cosignature: u64 seconds ‖ Ed25519 over "cosignature/v1\ntime <s>\n" ‖ the checkpoint text.
      const ed = lines.find((l) => kind(l) === 'ed25519')!;
      const seconds = Number(ed.sig.readBigUInt64BE(0));
      expect(ed.sig.length).toBe(72);
      const message = Buffer.from(`cosignature/v1\ntime ${seconds}\n${body}`);
      expect(verify(null, message, log.noteKey, ed.sig.subarray(8))).toBe(true);
      const head = await client.getTreeHead();
      expect(Math.abs(seconds * 1000 - head.timestamp)).toBeLessThan(60_000);
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('the plain form (serving.realisticCheckpoints off, --plain-checkpoints): the log line alone', async () => {
    const { log, server, info } = await start({ realisticCheckpoints: false });
    const note = await (await fetch(new URL('checkpoint', server.url))).text();
    expect(note.split('\n\n')[1]!.trimEnd().split('\n')).toHaveLength(1);
    expect((await new StaticCtClient(info, http()).getTreeHead()).treeSize).toBe(log.treeSize);
  });

  it('the npm run log switches', () => {
    expect(servingFromArgs({})).toEqual(defaultServing());
    const defaults = { realisticCheckpoints: true, gzip: true, keepPartialTiles: false, refusePrecertSigningCa: false };
    expect(defaultServing()).toEqual(defaults);
    const all = servingFromArgs({
      'plain-checkpoints': true,
      'no-gzip': true,
      'keep-partial-tiles': true,
      'refuse-precert-signing-ca': true,
    });
    expect(all).toEqual({
      realisticCheckpoints: false,
      gzip: false,
      keepPartialTiles: true,
      refusePrecertSigningCa: true,
    });
    expect(() => servingFromArgs({ 'realistic-checkpoints': true, 'plain-checkpoints': true })).toThrow(/contradict/);
  });
});

describe('add-pre-chain: precertificates through a Precertificate Signing Certificate (static-ct-api v1.1.0)', () => {
  const refusal = 'chain[1] is a Precertificate Signing Certificate (RFC 6962 §3.1): this log refuses precertificates';
  const submitter = (info: LogInfo) => new Rfc6962Client({ ...info, url: info.submissionUrl }, http());
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.unreachable('accepted'),
      (e: unknown) => e as LogHttpError,
    );
  const issued = (now: number, subject: string) => ({ notBefore: now - DAY, notAfter: now + 30 * DAY, subject });

  it("refused when the log is switched to, the log's reason in the client's error; accepted otherwise", async () => {
    const preCa = await createPrecertSigningCa(ca);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const pending = await beginPrecaIssuance(ca, preCa, issued(now, 'preca.v11.example'));
    const chain = [pending.precert, preCa.der, ca.der];
    const rfcChain = ['test-embedded-with-preca-pre-cert.pem', 'ca-pre-cert.pem', 'ca-cert.pem'].map((n) =>
      pemCert(`rfc6962/${n}`),
    );
    const strict = await start({ refusePrecertSigningCa: true });
    for (const c of [chain, rfcChain]) {
      const e = await failure(submitter(strict.info).addPreChain(c));
      expect(e).toBeInstanceOf(LogHttpError);
      expect([e.kind, e.status]).toEqual(['malformed', 400]);
      expect(e.message).toMatch(/\/ct\/v1\/add-pre-chain: HTTP 400: the log says "chain\[1\] is a Precertificate/);
      expect(e.message).toContain(refusal);
    }
    // A precertificate the CA signs itself is still taken; so is the PreCA's, by a log that allows it.
    const direct = await beginIssuance(ca, issued(now, 'direct.v11.example'));
    expect((await submitter(strict.info).addPreChain([direct.precert, ca.der])).length).toBeGreaterThan(40);
    const lenient = await start();
    expect((await submitter(lenient.info).addPreChain(chain)).length).toBeGreaterThan(40);
    strict.log.serving.refusePrecertSigningCa = false;
    expect((await submitter(strict.info).addPreChain(rfcChain)).length).toBeGreaterThan(40);
  });

  it("other logs' refusals: RFC 9162 error_message, plain text; folded onto one line and shortened", async () => {
    const site = await serve({
      '/a/ct/v1/add-pre-chain': {
        status: 400,
        body: JSON.stringify({
          error_message: 'precertificate signing certificates are not accepted',
          error_code: 'bad chain',
        }),
      },
      '/b/ct/v1/add-pre-chain': { status: 400, body: 'invalid chain:\r\n\u001b[31mPreCA\u001b[0m not allowed\n' },
      '/c/ct/v1/add-pre-chain': { status: 403, body: 'x'.repeat(5000) },
      '/d/ct/v1/add-pre-chain': { status: 400, body: 'y'.repeat(400) },
      '/e/ct/v1/add-pre-chain': { status: 503, body: 'overloaded' },
    });
    servers.push(site);
    const { info } = await start();
    const at = (p: string) => new Rfc6962Client({ ...info, url: `${site.url}/${p}/` }, http());
    const said = async (p: string) => (await failure(at(p).addPreChain(chain))).message;
    const chain = [pemCert('rfc6962/test-embedded-with-preca-pre-cert.pem'), pemCert('rfc6962/ca-pre-cert.pem')];
    expect(await said('a')).toMatch(/HTTP 400: the log says "precertificate signing certificates are not accepted"$/);
    expect(await said('b')).toMatch(/HTTP 400: the log says "invalid chain: \[31mPreCA \[0m not allowed"$/);
    // More than the 4 KiB read of an error answer: no reason, the status alone.
    expect(await said('c')).toMatch(/\/c\/ct\/v1\/add-pre-chain: HTTP 403$/);
    expect(await said('d')).toMatch(new RegExp(`HTTP 400: the log says "${'y'.repeat(300)}…"$`));
    const unavailable = await failure(at('e').addPreChain(chain));
    expect(unavailable).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/HTTP 503$/) });
  });
});
