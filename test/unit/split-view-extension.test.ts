/**
 * The extension keeps split-view evidence in storage.local (issue 7 §5): through the controller
 * (in-memory browser) against the project's CT log over loopback, a split view caught by "Check
 * inclusion" survives a browser restart — a new StorageHeadStore and a new worker read both signed
 * heads back, "get-tree-heads" returns them for the audit page — and later checks keep the log flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import { StorageHeadStore } from '../../background/head-store.js';
import type { TreeHeadsSeen } from '../../background/messages.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { beginIssuance, createTestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
let logs: LocalCtLog[];
let servers: LocalLogServer[];
let chain: Uint8Array[];

beforeAll(async () => {
  const ca = await createTestCa('ctlens evidence worker CA');
  logs = [new LocalCtLog({ description: 'Kept Log A' }), new LocalCtLog({ description: 'Kept Log B' })];
  servers = await Promise.all(logs.map((log) => startLocalLog(log)));
  const pending = await beginIssuance(ca, { notBefore: now - DAY, notAfter: now + 60 * DAY, subject: 'kept.example' });
  chain = [(await pending.finish(logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes))).der, ca.der];
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** A worker over `api`, trusting the test logs, with tab `tabId` checked (Firefox). */
async function worker(api: MemoryBrowser, tabId: number) {
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
  await controller.setSettings({ extraLogList: list, checkPrivateRoots: true });
  const certificates = [{ rawDER: Array.from(chain[0]!) }, { rawDER: Array.from(chain[1]!), isBuiltInRoot: false }];
  const info = { state: 'secure', certificates };
  await controller.onFirefoxResponse({ tabId, url: 'https://kept.example/', frame: 'main_frame', info });
  return controller;
}

describe('split views in storage.local', () => {
  it('survive a restart: a new store and a new worker hold both signed heads; the log stays flagged', async () => {
    for (const l of logs) l.misbehave = {};
    const api = new MemoryBrowser();
    const first = await worker(api, 1);
    await first.checkInclusion(1);
    logs[1]!.misbehave = { fork: true };
    const caught = await first.checkInclusion(1);
    const alert = caught.inclusion!.alerts[0]!;
    expect(caught.inclusion!.alerts).toHaveLength(1);
    const detail = expect.stringMatching(/two different roots/);
    expect(alert).toMatchObject({ type: 'split-view', logId: logs[1]!.logIdBase64, detail });
    const splitNotices = (browser: MemoryBrowser) =>
      browser.notifications.filter((n) => n.id.startsWith('ctlens:split-view:'));
    expect(splitNotices(api)).toHaveLength(1);

    const restarted = api.restartKeepingSession();
    const kept = await new StorageHeadStore(restarted.local).loadSplitViews(logs[1]!.logIdBase64);
    const { logId, evidence } = alert;
    expect(kept).toEqual([{ type: 'split-view', logId, log: 'Kept Log B', detail: alert.detail, evidence }]);
    expect(kept[0]!.evidence[0].rootHash).not.toBe(kept[0]!.evidence[1].rootHash);
    expect(kept[0]!.evidence.every((h) => h.signature !== '')).toBe(true);

    logs[1]!.misbehave = {};
    const second = await worker(restarted, 2);
    const ids = logs.map((l) => l.logIdBase64);
    const seen = (await second.handle({ type: 'get-tree-heads', logIds: ids })) as TreeHeadsSeen;
    expect(seen.splitViews).toEqual({ [ids[0]!]: [], [ids[1]!]: kept });
    expect(seen.heads[ids[1]!]!.map((h) => h.rootHash)).not.toContain(alert.evidence[1].rootHash);

    // The log is honest again: the check still reports the kept split view, marked as an earlier one.
    const later = await second.checkInclusion(2);
    expect(later.inclusion!.results.map((r) => r.status)).toEqual(['included', 'included']);
    const earlier = { ...alert, earlier: true, detail: expect.stringContaining('by an earlier audit') };
    expect(later.inclusion!.alerts).toEqual([earlier]);
    const title = expect.stringContaining('SPLIT VIEW — Kept Log B');
    expect(restarted.badges.get(2)).toMatchObject({ text: '‼', title });
    // Notified once, when it was caught: the kept one is shown again, not notified again.
    expect(splitNotices(restarted)).toHaveLength(0);
  });

  it('a stored value that is not evidence is refused, and left as it is', async () => {
    for (const l of logs) l.misbehave = {};
    const api = new MemoryBrowser();
    const controller = await worker(api, 3);
    const key = `split-views:${logs[0]!.logIdBase64}`;
    const evidence = [{ treeSize: -1 }, {}];
    const damaged = [{ type: 'split-view', logId: logs[0]!.logIdBase64, log: 'x', detail: 'y', evidence }];
    await api.local.set(key, damaged);
    const problem = `storage.local ${key}[0].evidence[0].treeSize is not a whole number`;
    await expect(controller.checkInclusion(3)).rejects.toThrow(problem);
    expect(await api.local.get(key)).toEqual(damaged);
  });
});
