/**
 * checkWitnesses over loopback: the local log and its local witness (log/witness.ts) on
 * real HTTP, the log's real RFC 6962 API for the shown tree head and consistency proofs, and the
 * witness's monitor retrieval endpoint. The split view — the log showing witnesses one tree and
 * this client another (`splitWitness`) — is caught from the witness's checkpoint alone, with both
 * log-signed notes as evidence.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { LogHttp } from '../../src/logclient/http.js';
import { Rfc6962Client } from '../../src/logclient/rfc6962.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { Ed25519Verifier } from '../../src/note/ed25519.js';
import { parseVkey } from '../../src/note/vkey.js';
import { checkWitnesses, type WitnessCheckInput } from '../../src/witness/check.js';
import { witnessCheckpointUrl } from '../../src/witness/client.js';
import { openLogCheckpoint, rfc6962Vkey } from '../../src/witness/log-checkpoint.js';
import { parseWitnessPolicy } from '../../src/witness/policy.js';
import { checkpointNote } from '../../log/checkpoint-note.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { cosignatureLine, logVkey, LocalWitness } from '../../log/witness.js';
import { submitCheckpoint } from '../../log/witness-api.js';
import { createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const POLICY = { timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 };
const http = new LogHttp(POLICY);
const verifier = new SignatureVerifier();
const servers: LocalLogServer[] = [];
const others: Server[] = [];
let ca: TestCa;
let serial = 0;

beforeAll(async () => {
  ca = await createTestCa();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const s of others) s.close();
});

async function addEntries(log: LocalCtLog, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const cert = await issueWithEmbeddedScts(ca, {
      notBefore: Date.UTC(2025, 0, 1),
      notAfter: Date.UTC(2025, 11, 1),
      logs: [],
      subject: `witness-${serial++}.test`,
    });
    log.addChain([cert.der, ca.der]);
  }
}

async function start(entries = 3) {
  const log = new LocalCtLog({ description: `witnessed log ${serial++}` });
  const witness = new LocalWitness();
  await addEntries(log, entries);
  const server = await startLocalLog(log, { witness });
  servers.push(server);
  const info = parseLogList(logListJson(log, { url: server.url }), 'list').logs[0]!;
  const client = new Rfc6962Client(info, http, verifier);
  const origin = new URL(server.url).host;
  const policyText = `log ${logVkey(origin, log)}\nwitness w1 ${witness.vkey()} ${server.witnessUrl}\nquorum w1\n`;
  const input = (shown: WitnessCheckInput['shown'], policy = parseWitnessPolicy(policyText)): WitnessCheckInput => ({
    log: info,
    shown,
    policy,
    http,
    verifier,
    prove: (a, b) => client.getConsistency(a, b),
    at: Date.now(),
  });
  return { log, witness, server, info, client, origin, policyText, input };
}

describe('an honest log and its witness', () => {
  it('the witness cosigned the tree head the log shows: quorum met', async () => {
    const t = await start();
    const shown = await t.client.getTreeHead();
    const result = await checkWitnesses(t.input(shown));
    expect(result.alerts).toEqual([]);
    expect(result.quorum).toBe('met');
    expect(result.witnesses).toEqual([
      expect.objectContaining({
        name: 'w1',
        keyName: 'witness.ctlens.test/w1',
        cosignature: 'absent',
        latest: 'same',
        latestTreeSize: 3,
        vouches: true,
      }),
    ]);
  });

  it('a witness that has seen more: the shown tree is proven a prefix of the cosigned one', async () => {
    const t = await start();
    const shown = await t.client.getTreeHead();
    await addEntries(t.log, 2);
    const result = await checkWitnesses(t.input(shown));
    expect(result.witnesses[0]).toMatchObject({ latest: 'ahead', latestTreeSize: 5, vouches: true });
    expect(result.quorum).toBe('met');
  });

  it("a checkpoint carrying the witness's cosignature, the log's own Ed25519 cosignature and GREASE", async () => {
    const t = await start();
    // The log's side of tlog-witness: the cosignature lines come back from add-checkpoint.
    const answer = submitCheckpoint(t.witness, t.log, t.origin);
    expect(answer.status).toBe(200);
    const logCosigner = new LocalWitness({ name: t.origin });
    const body = `${t.origin}\n${t.log.sth().treeSize}\n${Buffer.from(t.log.sth().rootHash).toString('base64')}\n`;
    const grease = `\u2014 grease.invalid/g ${Buffer.alloc(40, 7).toString('base64')}\n`;
    const note = checkpointNote(t.origin, t.log.logId, t.log.sth(), [
      cosignatureLine(t.origin, logCosigner.privateKey, body, 1_700_000_000),
      answer.body,
      grease,
    ]);
    // A second witness, without a URL: its cosignature alone counts.
    const offline = new LocalWitness({ name: 'offline.example/w2' });
    const both = `${note}${cosignatureLine(offline.name, offline.privateKey, body, 1_700_000_001)}`;
    const policy = parseWitnessPolicy(
      `${t.policyText.replace('quorum w1\n', '')}log ${logCosigner.vkey()}\n` +
        `witness w2 ${offline.vkey()}\ngroup both all w1 w2\nquorum both\n`,
    );
    const result = await checkWitnesses(t.input(both, policy));
    expect(result.quorum).toBe('met');
    expect(result.witnesses).toEqual([
      expect.objectContaining({ name: 'w1', cosignature: 'verified', latest: 'same', vouches: true }),
      expect.objectContaining({
        name: 'w2',
        cosignature: 'verified',
        cosignedAt: '2023-11-14T22:13:21.000Z',
        latest: 'not-asked',
        vouches: true,
      }),
    ]);
    // A bad signature from the log's own cosignature key rejects the note (signed-note: a known key).
    const ownLine = cosignatureLine(t.origin, logCosigner.privateKey, body, 1_700_000_000);
    const badLine = cosignatureLine(t.origin, logCosigner.privateKey, `${body}x\n`, 1_700_000_000);
    const forged = both.replace(ownLine, badLine);
    expect(forged).not.toBe(both);
    const refused = await checkWitnesses(t.input(forged, policy));
    expect(refused.quorum).toBe('not-met');
    expect(refused.notes.join(' ')).toMatch(
      /the shown checkpoint: the log's cosignature\/v1 signature .* does not verify/,
    );
  });
});

describe('cosignatures on the shown checkpoint', () => {
  it('one dated in the future (beyond 10 minutes of skew) does not count', async () => {
    const t = await start();
    const sth = t.log.sth();
    const body = `${t.origin}\n${sth.treeSize}\n${Buffer.from(sth.rootHash).toString('base64')}\n`;
    const seconds = (at: number) => Math.floor(at / 1000);
    const offline = parseWitnessPolicy(`witness w1 ${t.witness.vkey()}\nquorum w1\n`);
    const dated = (at: number) =>
      checkpointNote(t.origin, t.log.logId, sth, [
        cosignatureLine(t.witness.name, t.witness.privateKey, body, seconds(at)),
      ]);
    const late = await checkWitnesses(t.input(dated(Date.now() + 86_400_000), offline));
    expect(late.witnesses[0]).toMatchObject({ cosignature: 'invalid', vouches: false });
    expect(late.witnesses[0]!.detail).toMatch(/in the future/);
    expect(late.quorum).toBe('not-met');
    const now = await checkWitnesses(t.input(dated(Date.now()), offline));
    expect(now.witnesses[0]).toMatchObject({ cosignature: 'verified', vouches: true });
    expect(now.quorum).toBe('met');
  });
});

describe('a log that shows witnesses one tree and this client another', () => {
  it("is caught as a split view from the witness's checkpoint, with both signed notes", async () => {
    const t = await start();
    t.log.misbehave.splitWitness = true;
    const shown = await t.client.getTreeHead();
    const result = await checkWitnesses(t.input(shown));
    expect(result.quorum).toBe('not-met');
    expect(result.witnesses[0]).toMatchObject({ latest: 'split-view', latestTreeSize: shown.treeSize, vouches: false });
    expect(result.alerts).toHaveLength(1);
    const alert = result.alerts[0]!;
    expect(alert).toMatchObject({ type: 'split-view', logId: t.info.logId, witness: 'w1' });
    expect(alert.detail).toMatch(/two different roots for tree size 3/);
    const [witnessed, showed] = alert.evidence;
    expect(witnessed.from).toBe('witness w1');
    expect(showed.from).toBe('log');
    expect(witnessed.treeSize).toBe(showed.treeSize);
    expect(witnessed.rootHash).not.toBe(showed.rootHash);
    // Each note re-verifies on its own with the log's key: the log signed both.
    const tools = { ed25519: new Ed25519Verifier(), verifier, log: t.info };
    for (const e of alert.evidence) {
      const opened = await openLogCheckpoint(e.note, t.origin, [rfc6962Vkey(t.origin, t.info)], tools);
      expect(Buffer.from(opened.checkpoint.rootHash).toString('base64')).toBe(e.rootHash);
      expect(e.signature).not.toBe('');
    }
    // The witness's note also carries its cosignature.
    expect(witnessed.note).toContain('\u2014 witness.ctlens.test/w1 ');
  });

  it("when the trees grow apart, the log's own consistency proof fails", async () => {
    const t = await start();
    t.log.misbehave.splitWitness = true;
    const shown = await t.client.getTreeHead();
    await addEntries(t.log, 1);
    const result = await checkWitnesses(t.input(shown));
    expect(result.witnesses[0]).toMatchObject({ latest: 'split-view', latestTreeSize: 4 });
    expect(result.alerts[0]!.detail).toMatch(/tree 3 is not a prefix of tree 4/);
  });
});

describe('witnesses that cannot vouch', () => {
  const serve = async (answer: (path: string) => { status: number; body: string }): Promise<string> => {
    const server = createServer((req, res) => {
      const { status, body } = answer(req.url ?? '/');
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
    others.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/w`;
  };

  it('unreachable, never cosigned, or a checkpoint without its cosignature', async () => {
    const t = await start();
    const shown = await t.client.getTreeHead();
    const closed = await serve(() => ({ status: 404, body: '' }));
    const bare = await serve((path) =>
      path === new URL(witnessCheckpointUrl(`${closed}`, t.origin)).pathname
        ? { status: 200, body: checkpointNote(t.origin, t.log.logId, t.log.sth()) }
        : { status: 404, body: '' },
    );
    const keys = [new LocalWitness({ name: 'a' }), new LocalWitness({ name: 'b' }), new LocalWitness({ name: 'c' })];
    const policy = parseWitnessPolicy(
      `witness a ${keys[0]!.vkey()} http://127.0.0.1:9/w\n` +
        `witness b ${keys[1]!.vkey()} ${closed}\n` +
        `witness c ${keys[2]!.vkey()} ${bare}\ngroup any-of any a b c\nquorum any-of\n`,
    );
    const result = await checkWitnesses(t.input(shown, policy));
    expect(result.witnesses.map((w) => [w.name, w.latest, w.vouches])).toEqual([
      ['a', 'unavailable', false],
      ['b', 'never-cosigned', false],
      ['c', 'error', false],
    ]);
    expect(result.witnesses[2]!.detail).toMatch(/no valid cosignature of its key: it carries none/);
    expect(result.quorum).toBe('not-met');
  });

  it('no policy, or a policy for other logs: no-policy', async () => {
    const t = await start();
    const shown = await t.client.getTreeHead();
    expect(await checkWitnesses({ ...t.input(shown), policy: undefined })).toEqual({
      witnesses: [],
      quorum: 'no-policy',
      alerts: [],
      notes: [],
    });
    const other = parseWitnessPolicy(`log ${logVkey('other.example', new LocalCtLog())}\nquorum none\n`);
    const result = await checkWitnesses(t.input(shown, other));
    expect(result.quorum).toBe('no-policy');
    expect(result.notes).toEqual([`the witness policy lists other logs, not ${t.info.description}`]);
  });

  it('an RFC 9162 tree head has no checkpoint form: no-policy', async () => {
    const t = await start();
    const shown = { ...(await t.client.getTreeHead()), transItemV2: new Uint8Array([1]) };
    const result = await checkWitnesses(t.input(shown));
    expect(result.quorum).toBe('no-policy');
    expect(result.notes[0]).toMatch(/RFC 9162 tree head has no checkpoint form/);
  });

  it('quorum none is met without any witness', async () => {
    const t = await start();
    const result = await checkWitnesses(t.input(await t.client.getTreeHead(), parseWitnessPolicy('quorum none\n')));
    expect(result).toMatchObject({ quorum: 'met', witnesses: [] });
  });
});

describe('the policy names the log', () => {
  it('by its rfc6962 vkey, whose name is the origin witnesses know it by', async () => {
    const log = new LocalCtLog({ description: 'named log', origin: 'ct.example/named' });
    const witness = new LocalWitness();
    await addEntries(log, 2);
    const server = await startLocalLog(log, { witness });
    servers.push(server);
    const info: LogInfo = parseLogList(logListJson(log, { url: server.url }), 'list').logs[0]!;
    const client = new Rfc6962Client(info, http, verifier);
    const policy = parseWitnessPolicy(
      `log ${logVkey('ct.example/named', log)}\nwitness w ${witness.vkey()} ${server.witnessUrl}\nquorum w\n`,
    );
    expect(parseVkey(logVkey('ct.example/named', log)).name).toBe('ct.example/named');
    const result = await checkWitnesses({
      log: info,
      shown: await client.getTreeHead(),
      policy,
      http,
      verifier,
      prove: (a, b) => client.getConsistency(a, b),
      at: Date.now(),
    });
    expect(result.witnesses[0]).toMatchObject({ latest: 'same', vouches: true });
  });
});
