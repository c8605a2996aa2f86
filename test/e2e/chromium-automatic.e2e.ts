/**
 * Chromium 156, headless, with the built extension (dist/chrome) and Chromium's
 * WebRequestSecurityInfo feature on: every HTTPS page is checked as it loads (background/
 * chromium-responses.ts). Chromium shows extensions the leaf alone, so the leaves here come from
 * an intermediate and name a caIssuers URL on a plain-HTTP server on 127.0.0.1, which counts what
 * it is asked; each site's server sends the intermediate beside its leaf, so Chromium itself never
 * asks. Without the feature, checks stay on demand (chromium.e2e.ts) and the popup says how to
 * turn them on. Each test starts its own browser: what ctlens holds is the test's own.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Route, type TestServer } from '../support/http-server.js';
import {
  badgeOf,
  callApi,
  DIST_CHROME,
  launchChromium,
  outPath,
  pollUntil,
  readPopup,
  rgba,
  sendToWorker,
  startSites,
  waitForVerdict,
  type ChromiumBrowser,
  type Site,
  type Sites,
  type TabStateView,
} from './browsers.js';
import { createE2eWorld, type E2eWorld } from './fixtures.js';

const GREEN = rgba('#1a7f37');
const RED = rgba('#cf222e');
const ISSUER_PATH = '/issuer.crt';

describe('Chromium automatic checks', () => {
  let world: E2eWorld;
  let sites: Sites | undefined;
  let aia: TestServer | undefined;
  const routes: Record<string, Route> = {};
  const open: ChromiumBrowser[] = [];

  beforeAll(async () => {
    aia = await serve(routes);
    world = await createE2eWorld(Date.now(), [], { caIssuersUrl: `${aia.url}${ISSUER_PATH}` });
    routes[ISSUER_PATH] = { body: world.issuerDer, headers: { 'content-type': 'application/pkix-cert' } };
    sites = await startSites(world);
  });

  afterAll(async () => {
    for (const b of open) await b.close();
    await sites?.close();
    await aia?.close();
  });

  /** Requests the caIssuers server gets from now on. */
  const aiaRequests = () => {
    const from = aia!.requests.length;
    return () => aia!.requests.slice(from);
  };

  /** A browser with (or without) the feature, the extension set for the test PKI; an options page to talk to it. */
  async function start(
    feature = true,
    settings: Record<string, unknown> = {},
  ): Promise<{ chromium: ChromiumBrowser; ext: Page }> {
    const chromium = await launchChromium(world.caPem, DIST_CHROME, {
      features: feature ? ['WebRequestSecurityInfo'] : [],
    });
    open.push(chromium);
    const ext = await chromium.openExtensionPage('popup/options.html');
    await sendToWorker(ext, { type: 'set-settings', settings: { ...world.settings, ...settings } });
    return { chromium, ext };
  }

  /** Loads `site` in the browser's first tab; its tabId (the extension may read https tabs' URLs). */
  async function visit(browser: Browser, ext: Page, site: Site): Promise<number> {
    const [first] = await browser.pages();
    await first!.goto(site.url);
    expect(await first!.title()).toBe(`ctlens e2e: ${site.name}`);
    const tabs = await callApi<{ id: number; url?: string }[]>(ext, 'tabs.query', {});
    const tab = tabs.find((t) => t.url === site.url);
    expect(tab, JSON.stringify(tabs)).toBeDefined();
    return tab!.id;
  }

  const statuses = (s: TabStateView) => s.report?.scts.map((x) => x.status);
  const notes = (s: TabStateView) => (s as unknown as { report?: { notes: string[] } }).report?.notes ?? [];

  it('Chromium automatic: a compliant site is green, every SCT valid, its issuer found through AIA', async () => {
    const asked = aiaRequests();
    const { chromium, ext } = await start();
    const tabId = await visit(chromium.browser, ext, sites!.sites.compliant);
    const state = await waitForVerdict(ext, tabId);
    expect(state.error).toBeUndefined();
    expect(statuses(state)).toEqual(['valid', 'valid', 'valid']);
    expect(state.summary?.level).toBe('ok');
    expect(state.report?.policies.chrome?.verdict).toBe('compliant');
    expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });
    expect(asked()).toEqual([ISSUER_PATH]);
    expect(notes(state).join('\n')).toContain(`fetched from ${aia!.url}${ISSUER_PATH}`);

    const popup = await chromium.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
    const view = await pollUntil(
      () => readPopup(popup),
      (v) => v.scts.length === 3,
      'the popup showing the SCTs',
      5_000,
    );
    expect(view).toMatchObject({ summaryLevel: 'ok', summaryPhase: 'done', scts: ['valid', 'valid', 'valid'] });
    expect(await popup.$eval('#chromium-mode', (e) => (e as HTMLElement).dataset.mode)).toBe('automatic');
    await popup.setViewport({ width: 420, height: 640 });
    await popup.screenshot({ path: outPath('chromium-automatic-popup.png'), fullPage: true });
  });

  it('Chromium automatic: a reload and a revisit keep the badge, and check nothing again', async () => {
    const { chromium, ext } = await start();
    const site = sites!.sites.compliant;
    const tabId = await visit(chromium.browser, ext, site);
    expect(statuses(await waitForVerdict(ext, tabId))).toEqual(['valid', 'valid', 'valid']);
    const target = await chromium.browser.waitForTarget((t) => t.type() === 'service_worker');
    const worker = (await target.worker())!;
    const checks = () =>
      worker.evaluate(
        () => (globalThis as unknown as { ctlens: { metrics: { checks: number } } }).ctlens.metrics.checks,
      );
    const before = await checks();
    const [page] = await chromium.browser.pages();
    // Chromium clears a tab's badge when a document commits: each of these loads must get it back.
    for (const load of [() => page!.reload(), () => page!.goto(`${site.url}?again`), () => page!.reload()]) {
      await load();
      await pollUntil(
        () => badgeOf(ext, tabId),
        (b) => b.text === '✓',
        'the badge back after the load',
        5_000,
      );
      expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });
    }
    expect(await checks(), 'the same certificate within minutes: its verdict stands').toBe(before);
    expect((await sendToWorker<TabStateView>(ext, { type: 'get-tab-state', tabId })).summary?.level).toBe('ok');
  });

  it('Chromium automatic: a site without SCTs is red, with a warning notification', async () => {
    const { chromium, ext } = await start();
    const asked = aiaRequests();
    const tabId = await visit(chromium.browser, ext, sites!.sites.noScts);
    const state = await waitForVerdict(ext, tabId);
    expect(state.summary).toMatchObject({ level: 'alert', warning: 'no-scts' });
    expect(await badgeOf(ext, tabId)).toEqual({ text: '!', color: RED });
    const ids = await pollUntil(
      () => callApi<Record<string, unknown>>(ext, 'notifications.getAll').then(Object.keys),
      (k) => k.length > 0,
      'a notification',
      5_000,
    );
    expect(ids).toEqual([expect.stringMatching(new RegExp(`^ctlens:127\\.0\\.0\\.1:${sites!.sites.noScts.port}\\|`))]);
    expect(asked(), 'no SCTs: no issuer is needed').toEqual([]);
  });

  it('Chromium automatic: a damaged SCT is red: two valid, one invalid-signature', async () => {
    const { chromium, ext } = await start();
    const tabId = await visit(chromium.browser, ext, sites!.sites.damaged);
    const state = await waitForVerdict(ext, tabId);
    expect(statuses(state)).toEqual(['valid', 'valid', 'invalid-signature']);
    expect(state.summary).toMatchObject({ level: 'alert', warning: 'invalid-sct' });
    expect(await badgeOf(ext, tabId)).toEqual({ text: '!', color: RED });
  });

  it('Chromium automatic: an issuer already known (the audit page saw it): the AIA server sees nothing', async () => {
    const { chromium, ext } = await start();
    const asked = aiaRequests();
    // The audit page's check of a chain: the intermediate is then held (storage.local).
    const chain = world.fixtures.damaged.chainPem;
    const audited = await sendToWorker<{ report: { scts: { status: string }[] } }>(ext, {
      type: 'check-pasted-chain',
      pem: chain,
    });
    expect(audited.report.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'invalid-signature']);
    const tabId = await visit(chromium.browser, ext, sites!.sites.compliant);
    const state = await waitForVerdict(ext, tabId);
    expect(statuses(state)).toEqual(['valid', 'valid', 'valid']);
    expect(notes(state).join('\n')).toContain('one ctlens already held');
    expect(asked()).toEqual([]);
  });

  it('Chromium automatic: the worker is stopped between two pages, and the next page is still checked', async () => {
    const { chromium, ext } = await start();
    const first = await visit(chromium.browser, ext, sites!.sites.compliant);
    expect(statuses(await waitForVerdict(ext, first))).toEqual(['valid', 'valid', 'valid']);
    await ext.close(); // no extension page keeps the worker alive or wakes it
    const cdp = await chromium.browser.target().createCDPSession();
    const workers = async () =>
      (await cdp.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'service_worker');
    const [worker] = await workers();
    expect(worker).toBeDefined();
    await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
    await pollUntil(workers, (w) => w.length === 0, 'the worker stopped', 5_000);

    const [page] = await chromium.browser.pages();
    const loaded = page!.goto(sites!.sites.damaged.url); // the page's events start the worker again
    // puppeteer attaches to every new worker paused ("wait for debugger on start") and resumes it,
    // but not one that comes back under a target id it saw closed: resume it as Chromium would run it.
    const [started] = await pollUntil(workers, (w) => w.length === 1, 'the worker started by the page load', 10_000);
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: started!.targetId, flatten: true });
    await cdp.connection()!.session(sessionId)!.send('Runtime.runIfWaitingForDebugger');
    await loaded;
    const again = await chromium.openExtensionPage('popup/options.html');
    const host = `127.0.0.1:${sites!.sites.damaged.port}`;
    const state = (await pollUntil(
      () => sendToWorker<TabStateView | null>(again, { type: 'get-tab-state', tabId: first }),
      (s) => s?.host === host && s.phase === 'done',
      "the next page's verdict",
    ))!;
    expect(statuses(state)).toEqual(['valid', 'valid', 'invalid-signature']);
    expect(await badgeOf(again, first)).toEqual({ text: '!', color: RED });
    expect((await sendToWorker<{ mode: string }>(again, { type: 'get-chromium-mode' })).mode).toBe('automatic');
    await cdp.detach();
  });

  it('Chromium automatic: fetching off, missing-issuer, and "Check this site" reads the whole chain', async () => {
    const { chromium, ext } = await start(true, { fetchIssuers: false });
    const asked = aiaRequests();
    const tabId = await visit(chromium.browser, ext, sites!.sites.compliant);
    const state = await waitForVerdict(ext, tabId);
    expect(statuses(state)).toEqual(['missing-issuer', 'missing-issuer', 'missing-issuer']);
    expect(state.summary?.level).toBe('unknown');
    expect(notes(state).join('\n')).toContain('is off (turned off in the options)');
    expect(asked()).toEqual([]);

    const popup = await chromium.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
    expect(await popup.$('#missing-issuer')).not.toBeNull();
    expect(await popup.$eval('#recheck-site', (b) => b.textContent)).toBe('Check this site');
    await popup.click('#recheck-site'); // the debugger path, as without the feature
    const checked = await pollUntil(
      () => sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }),
      (s) => s?.phase === 'done' && statuses(s)?.[0] === 'valid',
      'the debugger check',
    );
    expect(statuses(checked!)).toEqual(['valid', 'valid', 'valid']);
    expect(asked()).toEqual([]);
  });

  it('Chromium without the feature: no automatic check; the popup says how to turn it on', async () => {
    const { chromium, ext } = await start(false);
    const asked = aiaRequests();
    const tabId = await visit(chromium.browser, ext, sites!.sites.compliant);
    const mode = await pollUntil(
      () => sendToWorker<{ mode: string; flag: string }>(ext, { type: 'get-chromium-mode' }),
      (m) => m.mode !== 'unknown',
      'the mode',
    );
    expect(mode).toEqual({ mode: 'flag-off', flag: 'chrome://flags/#web-request-security-info' });
    expect((await sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }))?.phase ?? 'none').not.toBe(
      'done',
    );
    const popup = await chromium.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
    const line = await popup.$eval('#chromium-mode', (e) => ({
      mode: (e as HTMLElement).dataset.mode,
      text: e.textContent,
    }));
    expect(line.mode).toBe('flag-off');
    expect(line.text).toContain('chrome://flags/#web-request-security-info');
    expect(line.text).toContain('Enable SecurityInfo in WebRequest API');
    expect((await readPopup(popup)).hasCheckButton).toBe(true);
    expect(asked()).toEqual([]);
  });
});
