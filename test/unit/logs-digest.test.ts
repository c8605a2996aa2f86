/**
 * Issue 7 §6 (the log side): LoadedRegistry.logsDigest, part of every cached verdict's key, is a
 * SHA-256 over the lists and keys in use, so it is the same in every worker for the same logs and
 * differs whenever they differ. The counter it replaces restarted at 0 in each worker, so a verdict
 * made with other extra logs was reused after a restart. Real ExtensionLogLists and Controller over
 * the in-memory browser; chains from the test PKI.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { FirefoxSecurityInfo } from '../../background/firefox-chain.js';
import { ExtensionLogLists } from '../../background/log-lists.js';
import { DEFAULT_SETTINGS, type Settings } from '../../background/settings.js';
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
let logs: TestLog[];
let leaf: Uint8Array;
let listJson: string;
const keyPem = (log: TestLog) =>
  `-----BEGIN PUBLIC KEY-----\n${Buffer.from(log.spki).toString('base64')}\n-----END PUBLIC KEY-----\n`;

beforeAll(async () => {
  ca = await createTestCa('ctlens digest CA');
  logs = [createTestLog('D1'), createTestLog('D2'), createTestLog('D3')];
  const issued = NOW - DAY;
  const scts = logs.map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1) }));
  leaf = (await issueWithEmbeddedScts(ca, { notBefore: issued, notAfter: issued + 90 * DAY, logs: scts })).der;
  const since = Date.UTC(2025, 0, 1);
  const usable = (log: TestLog) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const });
  const [d1, d2, e1] = logs.map(usable);
  const operators = [
    { name: 'Op D', logs: [d1!, d2!] },
    { name: 'Op E', logs: [e1!] },
  ];
  listJson = logListJson({ timestamp: NOW - DAY, operators });
});

async function digest(api: MemoryBrowser, settings: Partial<Settings>): Promise<string> {
  const lists = new ExtensionLogLists(api.local, async () => ({ ...DEFAULT_SETTINGS, ...settings }), api.now);
  return (await lists.registry()).logsDigest;
}

describe('logsDigest', () => {
  it('is the same in a restarted worker, and changes with the extra list and every extra key', async () => {
    const api = new MemoryBrowser();
    const first = await digest(api, { extraLogList: listJson });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await digest(api.restartKeepingSession(), { extraLogList: listJson })).toBe(first);
    const others = [
      await digest(api, {}),
      await digest(api, { extraLogList: listJson.replace('Op E', 'Op F') }),
      await digest(api, { extraLogList: listJson, extraLogKeys: [keyPem(logs[0]!)] }),
      await digest(api, { extraLogList: listJson, extraLogKeys: [keyPem(logs[0]!), keyPem(logs[1]!)] }),
    ];
    expect(new Set([first, ...others]).size).toBe(5);
    expect(await digest(api, { extraLogList: listJson })).toBe(first); // back to the same logs: the same digest
  });

  it('a stored list that is not in use (not newer than the bundled one) does not change it', async () => {
    const api = new MemoryBrowser();
    const before = await digest(api, {});
    const data = (name: string) =>
      readFileSync(new URL(`../../src/loglist/data/all_logs_list.v89.25.${name}`, import.meta.url)).toString('base64');
    await api.local.set('fetchedLogList', { json: data('json'), sig: data('sig'), fetchedAt: 0 });
    expect(await digest(api, {})).toBe(before);
  });
});

describe('the verdict cache across a worker restart', () => {
  /** What Firefox's getSecurityInfo returns for the chain (to a private root). */
  const info = (): FirefoxSecurityInfo => ({
    state: 'secure',
    certificateTransparencyStatus: 'not_applicable',
    certificates: [{ rawDER: Array.from(leaf) }, { rawDER: Array.from(ca.der), isBuiltInRoot: false }],
  });
  const visit = (tabId: number) => ({
    tabId,
    url: 'https://good.example/',
    frame: 'main_frame' as const,
    info: info(),
  });

  it('a verdict made with other extra logs is not reused after the worker restarts', async () => {
    const api = new MemoryBrowser();
    api.time = NOW;
    await api.local.set('settings', { ...DEFAULT_SETTINGS, extraLogList: listJson, checkPrivateRoots: true });
    const first = new Controller(api);
    await first.onFirefoxResponse(visit(1));
    expect((await first.tabs.get(1))!.report!.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'valid']);
    await first.setSettings({ extraLogList: null });
    const restarted = new Controller(api.restartKeepingSession());
    await restarted.onFirefoxResponse(visit(2));
    const statuses = (await restarted.tabs.get(2))!.report!.scts.map((s) => s.status);
    expect(statuses).toEqual(['unknown-log', 'unknown-log', 'unknown-log']);
  });
});
