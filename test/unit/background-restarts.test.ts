/**
 * The worker's state across restarts (issue 7 §6): Firefox stops an idle background after 30 s,
 * so "the worker restarted" is the normal case. A restart is a new Controller over the same
 * storage (test/support/memory-browser.ts); the chains come from the test PKI, every verdict is
 * computed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { FirefoxSecurityInfo } from '../../background/firefox-chain.js';
import {
  createTestCa,
  createTestLog,
  issueWithEmbeddedScts,
  logListJson,
  type TestCa,
  type TestLog,
} from '../support/test-pki.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 2, 12);
let ca: TestCa;
let compliant: Uint8Array;
let noScts: Uint8Array;
let listJson: string;

beforeAll(async () => {
  ca = await createTestCa('ctlens restart test CA');
  const logs: TestLog[] = [createTestLog('R1'), createTestLog('R2'), createTestLog('R3')];
  const issued = NOW - DAY;
  const spec = { notBefore: issued, notAfter: issued + 90 * DAY };
  const scts = logs.map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1) }));
  compliant = (await issueWithEmbeddedScts(ca, { ...spec, logs: scts })).der;
  noScts = (await issueWithEmbeddedScts(ca, { ...spec, logs: [] })).der;
  const since = Date.UTC(2025, 0, 1);
  const usable = (log: TestLog) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const });
  const operators = [
    { name: 'Op R', logs: [usable(logs[0]!), usable(logs[1]!)] },
    { name: 'Op S', logs: [usable(logs[2]!)] },
  ];
  listJson = logListJson({ timestamp: NOW - DAY, operators });
});

const info = (leaf: Uint8Array): FirefoxSecurityInfo => ({
  state: 'secure',
  certificates: [{ rawDER: Array.from(leaf) }, { rawDER: Array.from(ca.der), isBuiltInRoot: false }],
});
type Frame = 'main_frame' | 'sub_frame';
const visit = (controller: Controller, tabId: number, url: string, leaf = compliant, frame: Frame = 'main_frame') =>
  controller.onFirefoxResponse({ tabId, url, frame, info: info(leaf) });
const statuses = async (controller: Controller, tabId: number) =>
  (await controller.tabs.get(tabId))?.report?.scts.map((s) => s.status);
/** What the worker wrote without waiting (the verdict cache's persistence) has landed. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A browser whose stored settings already hold the test logs when the worker starts. */
async function browserWithSettings(settings: Record<string, unknown> = {}): Promise<MemoryBrowser> {
  const api = new MemoryBrowser();
  api.time = NOW;
  await api.local.set('settings', { extraLogList: listJson, checkPrivateRoots: true, ...settings });
  return api;
}

/** A worker (re)started the way worker.ts starts it: constructed, then warmed up. */
async function start(api: MemoryBrowser): Promise<Controller> {
  const controller = new Controller(api);
  await controller.warmUp();
  return controller;
}

describe('cached verdicts are keyed by what decided them', () => {
  it('a chain green with the extra logs is not green after they are removed and the worker restarts', async () => {
    const api = await browserWithSettings();
    const first = await start(api);
    await visit(first, 1, 'https://good.example/');
    expect(await statuses(first, 1)).toEqual(['valid', 'valid', 'valid']);
    await first.setSettings({ extraLogList: null });
    await visit(first, 2, 'https://good.example/');
    expect(await statuses(first, 2)).toEqual(['unknown-log', 'unknown-log', 'unknown-log']);
    await settle();

    const restarted = await start(api.restartKeepingSession());
    await visit(restarted, 3, 'https://good.example/');
    expect(await statuses(restarted, 3)).toEqual(['unknown-log', 'unknown-log', 'unknown-log']);
    expect((await restarted.tabs.get(3))!.summary!.level).not.toBe('ok');
  });

  it('the same logs after a restart reuse the verdict', async () => {
    const api = await browserWithSettings();
    const first = await start(api);
    await visit(first, 1, 'https://good.example/');
    const evaluatedAt = (await first.tabs.get(1))!.report!.evaluatedAt;
    await settle();
    const later = api.restartKeepingSession();
    later.time += 60_000;
    const restarted = await start(later);
    await visit(restarted, 2, 'https://good.example/');
    expect((await restarted.tabs.get(2))!.report!.evaluatedAt).toBe(evaluatedAt);
  });

  it('a verdict is not carried into the next UTC day, even within the hour', async () => {
    const api = await browserWithSettings();
    api.time = Date.UTC(2026, 4, 2, 23, 50);
    const controller = await start(api);
    await visit(controller, 1, 'https://good.example/');
    const before = (await controller.tabs.get(1))!.report!.evaluatedAt;
    api.time = Date.UTC(2026, 4, 3, 0, 10);
    await visit(controller, 2, 'https://good.example/');
    expect((await controller.tabs.get(2))!.report!.evaluatedAt).not.toBe(before);
  });

  it('one cached verdict per chain, however often what decides it changed', async () => {
    const api = await browserWithSettings();
    const controller = await start(api);
    let tabId = 0;
    for (const extraLogList of [null, listJson, null, listJson]) {
      await controller.setSettings({ extraLogList });
      await visit(controller, ++tabId, 'https://good.example/');
    }
    api.time += DAY;
    await visit(controller, ++tabId, 'https://good.example/');
    await settle();
    expect([...api.session.data.keys()].filter((k) => k.startsWith('verdict:'))).toHaveLength(1);
    expect(await statuses(controller, tabId)).toEqual(['valid', 'valid', 'valid']);
  });
});

describe("the 5-minute rule after a restart uses the tab's stored state", () => {
  it('a host already checked in the tab is not held again after the worker restarts', async () => {
    const api = await browserWithSettings();
    const first = await start(api);
    await visit(first, 1, 'https://good.example/');
    await visit(first, 1, 'https://widget.example/frame', noScts, 'sub_frame');
    const restartedApi = api.restartKeepingSession();
    const restarted = await start(restartedApi);
    expect(restarted.mustHold(1, 'https://good.example/next', 'main_frame')).toBe(false);
    expect(restarted.mustHold(1, 'https://widget.example/other', 'sub_frame')).toBe(false);
    expect(restarted.mustHold(1, 'https://other.example/', 'main_frame')).toBe(true);
    expect(restarted.mustHold(2, 'https://good.example/', 'main_frame')).toBe(true); // another tab
    restartedApi.time += 5 * 60_000 + 1;
    expect(restarted.mustHold(1, 'https://good.example/next', 'main_frame')).toBe(true);
  });

  it('before the stored states are read, and for a closed tab, the response is held', async () => {
    const api = await browserWithSettings();
    const first = await start(api);
    await visit(first, 1, 'https://good.example/');
    await visit(first, 2, 'https://closed.example/');
    await first.onTabRemoved(2);
    const restarted = new Controller(api.restartKeepingSession());
    expect(restarted.mustHold(1, 'https://good.example/', 'main_frame')).toBe(true); // not read yet: hold
    await restarted.warmUp();
    expect(restarted.mustHold(1, 'https://good.example/', 'main_frame')).toBe(false);
    expect(restarted.mustHold(2, 'https://closed.example/', 'main_frame')).toBe(true);
    expect(api.session.data.get('tabs:index')).toEqual([1]);
  });
});

describe('the warned list', () => {
  it('frames checked at the same moment both keep their entry: no host is warned twice', async () => {
    const api = await browserWithSettings();
    const controller = await start(api);
    await visit(controller, 1, 'https://page.example/');
    const hosts = ['a', 'b', 'c', 'd'].map((h) => `${h}.frames.example`);
    await Promise.all(hosts.map((host) => visit(controller, 1, `https://${host}/`, noScts, 'sub_frame')));
    const titles = hosts.map((h) => `ctlens: ${h} has no Certificate Transparency SCTs`);
    expect(api.notifications.map((n) => n.title).sort()).toEqual(titles);
    expect((api.local.data.get('warned') as string[]).map((id) => id.split('|')[0]).sort()).toEqual(hosts);
    expect((await controller.tabs.get(1))!.frames!.map((f) => f.host).sort()).toEqual(hosts);

    const again = api.restartKeepingSession();
    const restarted = await start(again);
    for (const host of hosts) await visit(restarted, 2, `https://${host}/`, noScts, 'sub_frame');
    expect(again.notifications).toEqual([]);
  });
});
