/**
 * The local log's witness (log/witness.ts) speaks tlog-witness as the spec writes it, over
 * loopback HTTP: add-checkpoint's request format and each status code (200 with a cosignature that
 * src/ verifies, 400, 403, 404, 409 with text/x.tlog.size, 422), and the monitor retrieval
 * endpoint (404 before any cosignature, then the latest cosigned checkpoint).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSignedNote } from '../../src/logclient/checkpoint.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { Ed25519Verifier } from '../../src/note/ed25519.js';
import { checkKnownKeys } from '../../src/note/known-keys.js';
import { parseVkey } from '../../src/note/vkey.js';
import { checkpointNote } from '../../log/checkpoint-note.js';
import { LocalCtLog } from '../../log/log.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { LocalWitness } from '../../log/witness.js';
import { createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const ORIGIN = 'ct.example/witnessed';
let ca: TestCa;
let serial = 0;
const servers: LocalLogServer[] = [];

beforeAll(async () => {
  ca = await createTestCa();
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

async function grow(log: LocalCtLog, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const cert = await issueWithEmbeddedScts(ca, {
      notBefore: Date.UTC(2025, 0, 1),
      notAfter: Date.UTC(2025, 11, 1),
      logs: [],
      subject: `tw-${serial++}.test`,
    });
    log.addChain([cert.der, ca.der]);
  }
}

/**
 * A log whose checkpoints this test submits by hand: the witness is served by a server of
 * another log (which feeds it only its own origin), and trusts this log's origin.
 */
async function setup() {
  const log = new LocalCtLog({ origin: ORIGIN });
  const witness = new LocalWitness({ name: 'witness.example/tw' });
  const host = new LocalCtLog({ origin: 'host.example/log' });
  const server = await startLocalLog(host, { witness });
  servers.push(server);
  witness.trustLog(ORIGIN, log);
  const post = async (body: string) => {
    const res = await fetch(`${server.witnessUrl}/add-checkpoint`, { method: 'POST', body });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const hash = createHash('sha256').update(ORIGIN).digest('hex');
  const retrieve = async () => {
    const res = await fetch(`${server.witnessUrl}/${hash}/checkpoint`);
    return { status: res.status, body: await res.text() };
  };
  const request = (old: number, proof: Uint8Array[], note: string) =>
    `old ${old}\n${proof.map((p) => `${b64(p)}\n`).join('')}\n${note}`;
  const note = () => checkpointNote(ORIGIN, log.logId, log.sth());
  return { log, witness, server, post, retrieve, request, note };
}

describe('add-checkpoint', () => {
  it('cosigns from old size 0, then with a consistency proof; retrieval serves the latest', async () => {
    const t = await setup();
    expect((await t.retrieve()).status).toBe(404);
    await grow(t.log, 3);
    const first = await t.post(t.request(0, [], t.note()));
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^\u2014 witness\.example\/tw [A-Za-z0-9+/]+=*\n$/u);
    // src/ verifies the returned cosignature over the submitted checkpoint.
    const key = parseVkey(t.witness.vkey());
    const tools = { ed25519: new Ed25519Verifier(), verifier: new SignatureVerifier() };
    const [verdict] = await checkKnownKeys(parseSignedNote(`${t.note()}${first.body}`), [key], tools);
    expect(verdict).toMatchObject({ status: 'signed' });
    await grow(t.log, 2);
    const second = await t.post(t.request(3, t.log.consistencyProof(3, 5), t.note()));
    expect(second.status).toBe(200);
    const latest = await t.retrieve();
    expect(latest.status).toBe(200);
    expect(latest.body.split('\n').slice(0, 2)).toEqual([ORIGIN, '5']);
    expect(latest.body).toContain(`\u2014 ${ORIGIN} `);
    expect(latest.body.endsWith(second.body)).toBe(true);
  });

  it('409 with the cosigned size (text/x.tlog.size) when the old size is not the latest cosigned', async () => {
    const t = await setup();
    await grow(t.log, 2);
    expect((await t.post(t.request(0, [], t.note()))).status).toBe(200);
    await grow(t.log, 1);
    const stale = await t.post(t.request(0, [], t.note()));
    expect(stale).toEqual({ status: 409, type: 'text/x.tlog.size', body: '2\n' });
    expect((await t.post(t.request(1, t.log.consistencyProof(1, 3), t.note()))).status).toBe(409);
  });

  it('422 for a proof that does not verify, a proof from size 0, or another root at the same size', async () => {
    const t = await setup();
    await grow(t.log, 2);
    expect((await t.post(t.request(0, [], t.note()))).status).toBe(200);
    await grow(t.log, 2);
    const proof = t.log.consistencyProof(2, 4);
    const wrong = proof.map((p, i) => (i === 0 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 1 : b)) : p));
    expect((await t.post(t.request(2, wrong, t.note()))).status).toBe(422);
    expect((await t.post(t.request(2, [], t.note()))).status).toBe(422);
    const fresh = await setup();
    await grow(fresh.log, 1);
    expect((await fresh.post(fresh.request(0, [new Uint8Array(32)], fresh.note()))).status).toBe(422);
    // Same size, another root: the fork the log would show clients.
    expect((await fresh.post(fresh.request(0, [], fresh.note()))).status).toBe(200);
    fresh.log.misbehave.fork = true;
    expect((await fresh.post(fresh.request(1, [], fresh.note()))).status).toBe(422);
  });

  it("403 without a valid signature of the log's key, 404 for an unknown origin", async () => {
    const t = await setup();
    await grow(t.log, 1);
    const stranger = new LocalCtLog({ origin: ORIGIN });
    expect((await t.post(t.request(0, [], checkpointNote(ORIGIN, stranger.logId, stranger.sth())))).status).toBe(403);
    t.log.misbehave.badSthSignature = true;
    expect((await t.post(t.request(0, [], t.note()))).status).toBe(403);
    t.log.misbehave.badSthSignature = false;
    const unknown = checkpointNote('unknown.example/log', t.log.logId, t.log.sth());
    expect((await t.post(t.request(0, [], unknown))).status).toBe(404);
  });

  it('400 for a malformed request or an old size beyond the checkpoint; 405 for another method', async () => {
    const t = await setup();
    await grow(t.log, 1);
    expect((await t.post(t.request(2, [], t.note()))).status).toBe(400);
    expect((await t.post(`old 01\n\n${t.note()}`)).status).toBe(400);
    expect((await t.post(`old 0\n${t.note()}`)).status).toBe(400);
    expect((await t.post(`old 0\nnot base64\n\n${t.note()}`)).status).toBe(400);
    const proof64 = Array.from({ length: 64 }, () => new Uint8Array(32));
    expect((await t.post(t.request(0, proof64, t.note()))).status).toBe(400);
    const res = await fetch(`${t.server.witnessUrl}/add-checkpoint`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
