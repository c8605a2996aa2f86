/**
 * Firefox ESR, headless, with the built extension (dist/firefox) as a temporary add-on: every
 * HTTPS page is checked automatically (webRequest.getSecurityInfo). Three local sites whose
 * leaves chain to a private test CA the profile trusts; the extension trusts the test logs
 * through its extra-logs option and checks private roots.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badgeOf,
  callApi,
  launchFirefox,
  outPath,
  pollUntil,
  readPopup,
  rgba,
  sendToWorker,
  startSites,
  waitForVerdict,
  type ExtensionBrowser,
  type Site,
  type Sites,
} from './browsers.js';
import { createE2eWorld, type E2eWorld } from './fixtures.js';
import { LocalCtLog } from '../../log/log.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { logVkey, LocalWitness } from '../../log/witness.js';

/** Expected badge colours (background/badge.ts): green when logged and compliant, red on a problem. */
const GREEN = rgba('#1a7f37');
const RED = rgba('#cf222e');

describe('Firefox: automatic checks', () => {
  let world: E2eWorld;
  let sites: Sites | undefined;
  let firefox: ExtensionBrowser | undefined;
  let localLogs: LocalCtLog[] = [];
  let logServers: LocalLogServer[] = [];
  /** A tlog-policy naming both local logs and their witness (log/witness.ts). */
  let witnessPolicy = '';
  /** An extension page (the options page) to talk to the worker from. */
  let ext: Page;

  beforeAll(async () => {
    // Tiled (static-ct-api) as real v1.1.0 logs are: realistic checkpoints, gzip; one witness watches both.
    const witness = new LocalWitness();
    localLogs = [1, 2].map((n) => new LocalCtLog({ description: `E2E Local Log ${n}`, tiled: true }));
    logServers = await Promise.all(localLogs.map((log) => startLocalLog(log, { witness })));
    world = await createE2eWorld(
      Date.now(),
      localLogs.map((log, i) => ({ log, url: logServers[i]!.url })),
    );
    const logLines = localLogs.map((log, i) => `log ${logVkey(new URL(logServers[i]!.url).host, log)}\n`).join('');
    witnessPolicy = `${logLines}witness w1 ${witness.vkey()} ${logServers[0]!.witnessUrl}\nquorum w1\n`;
    sites = await startSites(world);
    firefox = await launchFirefox(world.caPem);
    ext = await firefox.openExtensionPage('popup/options.html');
    // Headless Firefox has no notification UI: a notification is shown and closed at once
    // (onClosed, byUser true), so notifications.getAll() is usually empty by the time the test
    // asks. Record the ids the events carry from here on.
    await ext.evaluate(() => {
      const w = globalThis as unknown as { browser: any; ctlensE2eNotifications: string[] };
      w.ctlensE2eNotifications = [];
      for (const event of ['onShown', 'onClosed'] as const)
        w.browser.notifications[event]?.addListener((id: string) => w.ctlensE2eNotifications.push(id));
    });
    const settings = await sendToWorker<Record<string, unknown>>(ext, {
      type: 'set-settings',
      settings: { ...world.settings, witnessPolicy },
    });
    expect(settings).toMatchObject({ checkPrivateRoots: true, autoUpdateLogList: false });
    const info = await sendToWorker<{ extraLogProblems: string[]; sources: { source: string; logs: number }[] }>(ext, {
      type: 'get-log-list-info',
    });
    expect(info.extraLogProblems).toEqual([]);
    expect(info.sources[0]).toMatchObject({ source: 'extra log list v99.0 (options)', logs: 5 });
  });

  afterAll(async () => {
    try {
      await firefox?.close();
    } finally {
      await sites?.close();
      await Promise.all(logServers.map((s) => s.close()));
    }
  });

  it("popup: Check inclusion proves the site's SCTs are in the project's local CT logs", async () => {
    const site = sites!.sites.logged!;
    const { tabId } = await visit(site);
    const state = await waitForVerdict(ext, tabId);
    expect(state.report?.scts.map((s) => s.status)).toEqual(['valid', 'valid']);
    const popup = await openPopup(tabId);
    const disclosure = await popup.evaluate(() => document.querySelector('#inclusion-disclosure')?.textContent ?? '');
    expect(disclosure).toContain('E2E Local Log 1');
    expect(disclosure).toContain('learn which certificate you are looking at');
    expect(disclosure).toContain('contacting a witness reveals only which log is being checked');
    await popup.click('#check-inclusion');
    const statuses = await pollUntil(
      () =>
        popup.evaluate(() =>
          [...document.querySelectorAll('#inclusion li[data-inclusion]')].map(
            (li) => (li as HTMLElement).dataset.inclusion,
          ),
        ),
      (s) => s.length === 2,
      'the inclusion results in the popup',
      10_000,
    );
    expect(statuses).toEqual(['included', 'included']);
    // The witness behind each proof's tree head: it cosigned the checkpoint, and the quorum is met.
    const witnessed = await popup.evaluate(() =>
      [...document.querySelectorAll('#inclusion li[data-inclusion]')].map((li) => ({
        quorum: (li.querySelector('[data-quorum]') as HTMLElement | null)?.dataset.quorum,
        witnesses: [...li.querySelectorAll<HTMLElement>('li[data-witness]')].map(
          (w) => `${w.dataset.witness} ${w.dataset.cosignature}`,
        ),
      })),
    );
    expect(witnessed).toEqual([1, 2].map(() => ({ quorum: 'met', witnesses: ['w1 verified'] })));
    expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });
    await popup.setViewport({ width: 420, height: 640 });
    await popup.screenshot({ path: outPath('firefox-popup-inclusion.png'), fullPage: true });
  });

  /** Loads the site in a new tab; returns the tab and its extension tabId. */
  async function visit(site: Site): Promise<{ page: Page; tabId: number }> {
    const page = await firefox!.browser.newPage();
    await page.goto(site.url);
    expect(await page.title()).toBe(`ctlens e2e: ${site.name}`);
    // Firefox match patterns take no port ("https://127.0.0.1:PORT/*" matches nothing): filter here.
    const tabs = (
      await callApi<{ id: number; url?: string }[]>(ext, 'tabs.query', { url: 'https://127.0.0.1/*' })
    ).filter((t) => t.url?.startsWith(`${site.origin}/`));
    expect(tabs.map((t) => t.url)).toEqual([site.url]);
    return { page, tabId: tabs[0]!.id };
  }

  /**
   * The ids of the notifications raised for `site` (getAll plus the recorded events), waiting up
   * to `waitMs` for one to appear.
   */
  async function notificationsFor(site: Site, waitMs = 5_000): Promise<string[]> {
    const prefix = `ctlens:${site.origin.slice('https://'.length)}|`;
    const read = async () =>
      [
        ...new Set([
          ...Object.keys(await callApi<Record<string, unknown>>(ext, 'notifications.getAll')),
          ...(await ext.evaluate(
            () => (globalThis as unknown as { ctlensE2eNotifications: string[] }).ctlensE2eNotifications,
          )),
        ]),
      ].filter((id) => id.startsWith(prefix));
    return pollUntil(read, (ids) => ids.length > 0, `a notification for ${site.origin}`, waitMs).catch(read);
  }

  async function openPopup(tabId: number): Promise<Page> {
    return firefox!.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
  }

  it('audit page: a pasted chain, its inclusion proofs and the tree heads seen', async () => {
    const page = await firefox!.openExtensionPage('popup/audit.html', 'data-ready');
    await page.evaluate((pem) => {
      (document.querySelector('#pem') as HTMLTextAreaElement).value = pem;
    }, world.fixtures.logged!.chainPem);
    await page.click('#check');
    await pollUntil(
      () => page.evaluate(() => document.body.dataset.renders),
      (r) => r === '1',
      'the audit report',
      10_000,
    );
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('#scts tr[data-status]')].map((tr) => (tr as HTMLElement).dataset.status),
      ),
    ).toEqual(['valid', 'valid']);
    await page.click('#check-inclusion');
    const statuses = await pollUntil(
      () =>
        page.evaluate(() =>
          [...document.querySelectorAll('#inclusion li[data-inclusion]')].map(
            (li) => (li as HTMLElement).dataset.inclusion,
          ),
        ),
      (v) => v.length === 2,
      'the inclusion results on the audit page',
      10_000,
    );
    expect(statuses).toEqual(['included', 'included']);
    expect(await page.evaluate(() => document.querySelectorAll('details.proof').length)).toBe(2);
    expect(await page.evaluate(() => document.querySelector('#tree-heads-h')?.textContent)).toBe('Tree heads seen');
    await page.setViewport({ width: 800, height: 900 });
    await page.screenshot({ path: outPath('firefox-audit-page.png'), fullPage: true });
  });

  it('compliant site: green ✓, every SCT valid, Chrome policy compliant; popup screenshot', async () => {
    const { tabId } = await visit(sites!.sites.compliant);
    const state = await waitForVerdict(ext, tabId);
    expect(state.error).toBeUndefined();
    expect(state.phase).toBe('done');
    expect(state.summary?.level).toBe('ok');
    expect(state.report?.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'valid']);
    expect(state.report?.policies.chrome?.verdict).toBe('compliant');
    expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });
    expect(await notificationsFor(sites!.sites.compliant, 0), 'no warning for a compliant site').toEqual([]);

    const popup = await openPopup(tabId);
    await popup.setViewport({ width: 420, height: 640 });
    await popup.screenshot({ path: outPath('firefox-popup.png'), fullPage: true });
    const view = await readPopup(popup);
    expect(view.scts).toEqual(['valid', 'valid', 'valid']);
    expect(view.verdicts.chrome).toBe('compliant');
    expect(view.summaryLevel).toBe('ok');
  });

  it('site without SCTs: red !, a warning notification', async () => {
    const site = sites!.sites.noScts;
    const { tabId } = await visit(site);
    const state = await waitForVerdict(ext, tabId);
    expect(state.error).toBeUndefined();
    expect(state.summary).toMatchObject({ level: 'alert', warning: 'no-scts' });
    expect(state.report?.scts).toEqual([]);
    expect(await badgeOf(ext, tabId)).toEqual({ text: '!', color: RED });
    const ours = await notificationsFor(site);
    expect(ours, 'one notification for the site').toHaveLength(1);
    expect(ours[0]).toMatch(/^ctlens:127\.0\.0\.1:\d+\|[0-9a-f]{64}$/); // host|sha256(leaf)

    const view = await readPopup(await openPopup(tabId));
    expect(view.summaryLevel).toBe('alert');
    expect(view.scts).toEqual([]);
  });

  it('site with a damaged SCT signature: that SCT invalid-signature, red !, a notification', async () => {
    const { tabId } = await visit(sites!.sites.damaged);
    const state = await waitForVerdict(ext, tabId);
    expect(state.error).toBeUndefined();
    expect(state.summary).toMatchObject({ level: 'alert', warning: 'invalid-sct' });
    expect(state.report?.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'invalid-signature']);
    expect(await badgeOf(ext, tabId)).toEqual({ text: '!', color: RED });
    expect(await notificationsFor(sites!.sites.damaged)).toHaveLength(1);

    const view = await readPopup(await openPopup(tabId));
    expect(view.scts).toEqual(['valid', 'valid', 'invalid-signature']);
    expect(view.summaryLevel).toBe('alert');
    // The invalid SCT's row carries the red bar, not the grey one of "neither valid nor invalid".
    const [okBar, , badBar] = view.sctBars;
    expect(badBar).not.toBe(okBar);
    expect(badBar).toMatch(/rgb\((207, 34, 46|255, 123, 114)\)/);
  });
});
