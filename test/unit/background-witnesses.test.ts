/**
 * The extension's inclusion check with a witness policy in its settings (Options' text), through
 * the controller (in-memory browser) against the project's local log as a real static-ct-api log
 * (`tiled: true`) with its local witness over loopback: the witnesses behind each SCT's proof and
 * the quorum, a split view the witness reveals (the loudest warning), and a stored policy that
 * does not parse (said in the notes, never used).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { TabState } from '../../background/messages.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { logVkey, LocalWitness } from '../../log/witness.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
let ca: TestCa;
let log: LocalCtLog;
let witness: LocalWitness;
let server: LocalLogServer;
let chain: Uint8Array[];
let policy: string;

beforeAll(async () => {
  ca = await createTestCa('ctlens worker witness CA');
  log = new LocalCtLog({ tiled: true, description: 'Worker Tiled Log' });
  witness = new LocalWitness();
  server = await startLocalLog(log, { witness });
  const times = { notBefore: now - DAY, notAfter: now + 60 * DAY };
  const pending = await beginIssuance(ca, { ...times, subject: 'witnessed.example' });
  chain = [(await pending.finish([log.addPreChain([pending.precert, ca.der]).bytes])).der, ca.der];
  const logLine = `log ${logVkey(new URL(server.url).host, log)}\n`;
  policy = `${logLine}witness w1 ${witness.vkey()} ${server.witnessUrl}\nquorum w1\n`;
});
afterAll(() => server.close());

async function checked(tabId: number, settings: Record<string, unknown>) {
  const api = new MemoryBrowser();
  api.time = Date.now();
  const controller = new Controller(api);
  const extraLogList = logListJson(log, { url: server.url, at: now - 30 * DAY });
  await controller.setSettings({ extraLogList, checkPrivateRoots: true, ...settings });
  const certificates = [{ rawDER: Array.from(chain[0]!) }, { rawDER: Array.from(chain[1]!), isBuiltInRoot: false }];
  const info = { state: 'secure', certificates };
  await controller.onFirefoxResponse({ tabId, url: 'https://witnessed.example/', frame: 'main_frame', info });
  const state = (await controller.handle({ type: 'check-inclusion', tabId })) as TabState;
  return { api, inclusion: state.inclusion! };
}

describe('Check inclusion with a witness policy', () => {
  it('lists the witness that cosigned the tree head the proof was checked against: quorum met', async () => {
    log.misbehave = {};
    const { inclusion } = await checked(1, { witnessPolicy: policy });
    expect(inclusion.results[0]).toMatchObject({ status: 'included', quorum: 'met' });
    expect(inclusion.results[0]!.witnesses).toEqual([
      expect.objectContaining({
        name: 'w1',
        cosignature: 'verified',
        latest: 'same',
        vouches: true,
      }),
    ]);
    expect(inclusion.alerts).toEqual([]);
  });

  it('without a policy: no-policy, no witness', async () => {
    log.misbehave = {};
    const { inclusion } = await checked(2, {});
    expect(inclusion.results[0]).toMatchObject({ status: 'included', quorum: 'no-policy', witnesses: [] });
  });

  it('a witness that saw another tree: a split view, notified, with both signed notes', async () => {
    log.misbehave = {};
    await fetch(new URL('checkpoint', server.url)); // the witness cosigns the honest tree
    log.misbehave = { splitWitness: true };
    const { api, inclusion } = await checked(3, { witnessPolicy: policy, warnings: false });
    log.misbehave = {};
    expect(inclusion.misbehaved).toBe(true);
    expect(inclusion.results[0]!.quorum).toBe('not-met');
    expect(inclusion.alerts).toEqual([expect.objectContaining({ type: 'split-view', witness: 'w1' })]);
    expect(inclusion.alerts[0]!.evidence.map((e) => e.from)).toEqual(['witness w1', 'log']);
    expect(inclusion.alerts[0]!.evidence.every((e) => e.note?.startsWith(`${new URL(server.url).host}\n`))).toBe(true);
    expect(api.notifications).toEqual([expect.objectContaining({ title: 'ctlens: SPLIT VIEW in Worker Tiled Log' })]);
    expect(api.badges.get(3)?.text).toBe('‼');
  });

  it('a stored policy that does not parse is not used, and the notes say why', async () => {
    log.misbehave = {};
    const { inclusion } = await checked(4, { witnessPolicy: 'witness w1 not-a-vkey\nquorum w1\n' });
    expect(inclusion.results[0]).toMatchObject({ status: 'included', quorum: 'no-policy' });
    expect(inclusion.notes[0]).toMatch(/^The witness policy in Options is not used: line 1/);
  });
});
