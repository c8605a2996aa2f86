/**
 * Witnesses in the audit, over loopback: the project's local log as a real static-ct-api log
 * (`tiled: true`: realistic checkpoints, gzip) with its local witness (log/witness.ts), a
 * certificate issued by the test CA with SCTs from the log, and proveInclusion with a C2SP
 * tlog-policy. The log's checkpoint carries the witness's cosignature (tiles-api.ts); under
 * `splitWitness` the witness cosigned another tree than the one this client is shown, which is a
 * split view with both log-signed notes as evidence, kept with the log's split views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/check.js';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { LogHttp } from '../../src/logclient/http.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { parseWitnessPolicy } from '../../src/witness/policy.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { logVkey, LocalWitness } from '../../log/witness.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const http = new LogHttp({ timeoutMs: 3000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });
const servers: LocalLogServer[] = [];
let ca: TestCa;
let serial = 0;

beforeAll(async () => {
  ca = await createTestCa('ctlens witness audit CA');
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** A tiled local log with a witness, `entries` certificates in it, and the policy naming both. */
async function witnessedLog(entries = 3) {
  const log = new LocalCtLog({ tiled: true, description: `Witnessed tiled log ${serial++}` });
  const witness = new LocalWitness();
  const server = await startLocalLog(log, { witness });
  servers.push(server);
  const listJson = logListJson(log, { url: server.url, at: Date.now() - 30 * DAY });
  const registry = new LogRegistry([{ list: parseLogList(listJson, 'witness audit list'), signed: false }]);
  const origin = new URL(server.url).host;
  const policyText = `log ${logVkey(origin, log)}\nwitness w1 ${witness.vkey()} ${server.witnessUrl}\nquorum w1\n`;
  for (let i = 0; i < entries; i++) await issue(log);
  return { log, witness, server, registry, listJson, policyText };
}

/** A certificate with an embedded SCT from `log`, issued as CAs do. */
async function issue(log: LocalCtLog): Promise<Uint8Array[]> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const pending = await beginIssuance(ca, {
    notBefore: now - DAY,
    notAfter: now + 60 * DAY,
    subject: `witnessed-${serial++}.example`,
  });
  return [(await pending.finish([log.addPreChain([pending.precert, ca.der]).bytes])).der, ca.der];
}

async function audit(t: Awaited<ReturnType<typeof witnessedLog>>, chain: Uint8Array[], policy?: string) {
  const at = Date.now();
  const { verification } = await decide({ chain, registry: t.registry, at });
  expect(verification.scts.map((s) => s.status)).toEqual(['valid']);
  const store = new MemoryHeadStore();
  const witnessPolicy = policy === undefined ? undefined : parseWitnessPolicy(policy);
  const result = await proveInclusion(verification, { store, at, http, ...(witnessPolicy ? { witnessPolicy } : {}) });
  return { result, store };
}

describe('the audit with a witness policy', () => {
  it('the checkpoint the proof was checked against is cosigned by the witness: quorum met', async () => {
    const t = await witnessedLog();
    const { result } = await audit(t, await issue(t.log), t.policyText);
    const [inclusion] = result.inclusion;
    expect(inclusion).toMatchObject({ status: 'included', quorum: 'met' });
    expect(inclusion!.witnesses).toEqual([
      expect.objectContaining({
        name: 'w1',
        keyName: t.witness.name,
        cosignature: 'verified',
        latest: 'same',
        vouches: true,
        cosignedAt: expect.any(String),
        latestTreeSize: inclusion!.treeSize,
      }),
    ]);
    expect(result.alerts).toEqual([]);
    expect(result.misbehaved).toBe(false);
  });

  it('without a policy: no-policy and no witness, and nothing asked of it', async () => {
    const t = await witnessedLog();
    const { result } = await audit(t, await issue(t.log));
    expect(result.inclusion[0]).toMatchObject({ status: 'included', quorum: 'no-policy', witnesses: [] });
  });

  it('a quorum of two witnesses, one of them unknown to the log: not met, the other listed', async () => {
    const t = await witnessedLog();
    const other = new LocalWitness({ name: 'witness.ctlens.test/w2' });
    const w2 = `witness w2 ${other.vkey()}\ngroup both all w1 w2\nquorum both\n`;
    const policy = `${t.policyText.replace('quorum w1\n', '')}${w2}`;
    const { result } = await audit(t, await issue(t.log), policy);
    expect(result.inclusion[0]).toMatchObject({ status: 'included', quorum: 'not-met' });
    expect(result.inclusion[0]!.witnesses!.map((w) => [w.name, w.cosignature, w.latest, w.vouches])).toEqual([
      ['w1', 'verified', 'same', true],
      ['w2', 'absent', 'not-asked', false],
    ]);
  });

  it('the log shows the witness one tree and this client another: a split view with both notes, kept', async () => {
    const t = await witnessedLog(4);
    const chain = await issue(t.log);
    // The witness cosigns the honest tree (every request submits it first), then the log forks for clients.
    await fetch(new URL('checkpoint', t.server.url));
    t.log.misbehave.splitWitness = true;
    const { result, store } = await audit(t, chain, t.policyText);
    expect(result.misbehaved).toBe(true);
    expect(result.inclusion[0]!.quorum).toBe('not-met');
    expect(result.inclusion[0]!.witnesses![0]).toMatchObject({
      name: 'w1',
      cosignature: 'absent',
      latest: 'split-view',
    });
    expect(result.alerts).toHaveLength(1);
    const alert = result.alerts[0]!;
    expect(alert).toMatchObject({ type: 'split-view', witness: 'w1', log: t.log.description });
    const [witnessed, shown] = alert.evidence;
    expect(witnessed.from).toBe('witness w1');
    expect(shown.from).toBe('log');
    expect(witnessed.note).toContain(`\u2014 ${t.witness.name} `);
    expect(witnessed.rootHash).not.toBe(shown.rootHash);
    for (const e of alert.evidence) expect(e.note!.split('\n')[0]).toBe(new URL(t.server.url).host);
    const kept = await store.loadSplitViews(t.log.logIdBase64);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.evidence.map((e) => e.note)).toEqual([witnessed.note, shown.note]);
  });
});
