/**
 * The extension's inclusion check, through the controller (in-memory browser) against the
 * project's CT log over loopback: on request, the split-view warning, and the opt-in automatic check.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { TabState } from '../../background/messages.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { beginIssuance, createTestCa, type TestCa } from '../support/test-pki.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
let ca: TestCa;
let logs: LocalCtLog[];
let servers: LocalLogServer[];
let chain: Uint8Array[];

beforeAll(async () => {
  ca = await createTestCa('ctlens worker inclusion CA');
  logs = [new LocalCtLog({ description: 'Worker Log A' }), new LocalCtLog({ description: 'Worker Log B' })];
  servers = await Promise.all(logs.map((log) => startLocalLog(log)));
  const pending = await beginIssuance(ca, {
    notBefore: now - DAY,
    notAfter: now + 60 * DAY,
    subject: 'inclusion.example',
  });
  chain = [(await pending.finish(logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes))).der, ca.der];
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function setup(settings: Record<string, unknown> = {}) {
  const api = new MemoryBrowser();
  api.time = Date.now();
  const controller = new Controller(api);
  const list = JSON.stringify({
    version: '1.0',
    log_list_timestamp: new Date(now).toISOString(),
    operators: logs.map((log, i) => ({
      name: `Operator ${i}`,
      logs: [logListEntry(log, { url: servers[i]!.url, at: now - 30 * DAY })],
    })),
  });
  await controller.setSettings({ extraLogList: list, checkPrivateRoots: true, ...settings });
  const info = {
    state: 'secure',
    certificates: [{ rawDER: Array.from(chain[0]!) }, { rawDER: Array.from(chain[1]!), isBuiltInRoot: false }],
  };
  const visit = (tabId: number, by = controller) =>
    by.onFirefoxResponse({ tabId, url: 'https://inclusion.example/', frame: 'main_frame', info });
  return { api, controller, visit };
}

/** Waits until the tab has an inclusion result, or `ms` passed. */
async function inclusionOf(controller: Controller, tabId: number, ms = 5000) {
  const until = Date.now() + ms;
  while (!(await controller.tabs.get(tabId))?.inclusion && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return (await controller.tabs.get(tabId))?.inclusion;
}

describe('Check inclusion', () => {
  it('proves both SCTs included, and keeps the tree heads', async () => {
    for (const l of logs) l.misbehave = {};
    const { api, controller, visit } = await setup();
    await visit(1);
    const state = (await controller.handle({ type: 'check-inclusion', tabId: 1 })) as TabState;
    expect(state.inclusion?.results.map((r) => r.status)).toEqual(['included', 'included']);
    expect(api.local.data.has(`heads:${logs[0]!.logIdBase64}`)).toBe(true);
    expect(api.badges.get(1)?.text).toBe('✓');
  });

  it('a split view is the loudest warning: ‼ badge and a notification even with warnings off', async () => {
    for (const l of logs) l.misbehave = {};
    const { api, controller, visit } = await setup({ warnings: false });
    await visit(2);
    await controller.checkInclusion(2);
    logs[1]!.misbehave = { fork: true };
    const state = await controller.checkInclusion(2);
    expect(state.inclusion?.alerts).toHaveLength(1);
    expect(api.badges.get(2)).toMatchObject({
      text: '‼',
      color: '#cf222e',
      title: expect.stringContaining('SPLIT VIEW — Worker Log B'),
    });
    expect(api.notifications).toEqual([expect.objectContaining({ title: 'ctlens: SPLIT VIEW in Worker Log B' })]);
    logs[1]!.misbehave = {};
  });

  it('refuses before there is a verdict to audit', async () => {
    const { controller } = await setup();
    await expect(controller.checkInclusion(9)).rejects.toThrow('check this site first');
  });

  it('is never automatic unless opted in; opted in, it waits until the SCTs are older than the MMD', async () => {
    for (const l of logs) l.misbehave = {};
    const off = await setup();
    off.api.time = Date.now() + 2 * DAY;
    await off.visit(3);
    await new Promise((r) => setTimeout(r, 200));
    expect((await off.controller.tabs.get(3))?.inclusion).toBeUndefined();

    const young = await setup({ autoInclusion: true });
    await young.visit(4); // SCTs minutes old, MMD 24 h: not yet
    await new Promise((r) => setTimeout(r, 200));
    expect((await young.controller.tabs.get(4))?.inclusion).toBeUndefined();

    const ripe = await setup({ autoInclusion: true });
    ripe.api.time = Date.now() + 2 * DAY;
    await ripe.visit(5);
    const until = Date.now() + 5000;
    while (!(await ripe.controller.tabs.get(5))?.inclusion && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect((await ripe.controller.tabs.get(5))?.inclusion?.results.map((r) => r.status)).toEqual([
      'included',
      'included',
    ]);
  });
});

describe("the automatic check's once-a-day limit", () => {
  it('holds across worker restarts: one proof request per log and certificate a day, then again', async () => {
    for (const l of logs) l.misbehave = {};
    const { api, controller, visit } = await setup({ autoInclusion: true });
    api.time = Date.now() + 2 * DAY;
    const spy = vi.spyOn(globalThis, 'fetch');
    const proofRequests = () => spy.mock.calls.filter(([url]) => String(url).includes('/get-proof-by-hash')).length;
    try {
      await visit(1);
      expect((await inclusionOf(controller, 1))?.results.map((r) => r.status)).toEqual(['included', 'included']);
      expect(proofRequests()).toBe(2);
      // The background idles and is stopped between revisits in new tabs: each a new worker.
      let browser = api;
      for (const tabId of [2, 3, 4]) {
        browser = browser.restartKeepingSession();
        browser.time += 10_000;
        const restarted = new Controller(browser);
        await restarted.warmUp();
        await visit(tabId, restarted);
        expect(await inclusionOf(restarted, tabId, 300)).toBeUndefined();
      }
      expect(proofRequests()).toBe(2);
      // A day later the certificate is checked again.
      browser = browser.restartKeepingSession();
      browser.time += DAY;
      const nextDay = new Controller(browser);
      await visit(5, nextDay);
      expect((await inclusionOf(nextDay, 5))?.results.map((r) => r.status)).toEqual(['included', 'included']);
      expect(proofRequests()).toBe(4);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a tiled log', () => {
  it("a second check reuses the worker's full tiles: none is fetched again", async () => {
    const tiled = new LocalCtLog({ description: 'Worker Tiled Log', tiled: true });
    const server = await startLocalLog(tiled);
    try {
      const pending = await beginIssuance(ca, {
        notBefore: now - DAY,
        notAfter: now + 60 * DAY,
        subject: 'tiled.example',
      });
      const leaf = (await pending.finish([tiled.addPreChain([pending.precert, ca.der]).bytes])).der;
      // our entry's proof now needs the full level-0 tile
      for (let i = 0; i < 300; i++) tiled.addChain([chain[0]!, ca.der]);
      const api = new MemoryBrowser();
      api.time = Date.now();
      const controller = new Controller(api);
      const list = JSON.stringify({
        version: '1.0',
        log_list_timestamp: new Date(now).toISOString(),
        operators: [
          {
            name: 'Tiled Operator',
            logs: [],
            tiled_logs: [logListEntry(tiled, { url: server.url, at: now - 30 * DAY })],
          },
        ],
      });
      await controller.setSettings({ extraLogList: list, checkPrivateRoots: true });
      const info = {
        state: 'secure',
        certificates: [{ rawDER: Array.from(leaf) }, { rawDER: Array.from(ca.der), isBuiltInRoot: false }],
      };
      await controller.onFirefoxResponse({ tabId: 1, url: 'https://tiled.example/', frame: 'main_frame', info });
      const spy = vi.spyOn(globalThis, 'fetch');
      try {
        const first = await controller.checkInclusion(1);
        expect(first.inclusion?.results.map((r) => r.status)).toEqual(['included']);
        const fullTiles = () =>
          spy.mock.calls.map(([url]) => new URL(String(url)).pathname).filter((p) => /\/tile\/\d+\/[\dx/]+$/.test(p));
        const fetchedFirst = fullTiles().length;
        expect(fetchedFirst).toBeGreaterThan(0);
        const second = await controller.checkInclusion(1);
        expect(second.inclusion?.results.map((r) => r.status)).toEqual(['included']);
        expect(fullTiles().length).toBe(fetchedFirst);
      } finally {
        spy.mockRestore();
      }
    } finally {
      await server.close();
    }
  });
});
