/**
 * Chromium, headless, with the built extension (dist/chrome): the on-demand check. Chromium gives
 * extensions no certificates, so "Check this site" attaches the debugger to the tab, reloads it
 * and reads the chain (background/chromium-check.ts).
 *
 * What this machine showed (Chromium 156, headless): Chromium does not accept `debugger` as an
 * optional permission (chrome_api_permissions.cc flags it kFlagCannotBeOptional): it was dropped
 * from optional_permissions, and permissions.request after a real click rejected with "Only
 * permissions specified in the manifest may be requested." So the Chromium build lists it under
 * "permissions" (build/manifest.ts, PERMISSIONS.md); the popup's request then resolves at once.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badgeOf,
  callApi,
  launchChromium,
  outPath,
  pollUntil,
  readPopup,
  recordedFrames,
  recordFrames,
  rgba,
  sendToWorker,
  startSites,
  type ChromiumBrowser,
  type Site,
  type Sites,
  type TabStateView,
  waitForVerdict,
} from './browsers.js';
import { createE2eWorld, type E2eWorld } from './fixtures.js';

const GREEN = rgba('#1a7f37');

/** Loads `site` in the browser's first tab; returns its tabId, found from an extension page. */
async function openSite(chromium: ChromiumBrowser, ext: Page, site: Site): Promise<number> {
  const [first] = await chromium.browser.pages();
  await first!.goto(site.url);
  expect(await first!.title()).toBe(`ctlens e2e: ${site.name}`);
  // Without "tabs" or a host permission Chromium hides other tabs' URLs (tabs.query({url}) finds
  // nothing): take every tab but the extension's own pages.
  const tabs = await callApi<{ id: number; url?: string }[]>(ext, 'tabs.query', {});
  const others = tabs.filter((t) => !t.url?.startsWith(chromium.extensionOrigin));
  expect(others, JSON.stringify(tabs)).toHaveLength(1);
  if (others[0]!.url !== undefined) expect(others[0]!.url).toBe(site.url);
  return others[0]!.id;
}

describe('Chromium: on-demand check', () => {
  let world: E2eWorld;
  let sites: Sites | undefined;

  beforeAll(async () => {
    world = await createE2eWorld();
    sites = await startSites(world);
  });

  afterAll(async () => {
    await sites?.close();
  });

  it('the built extension holds the debugger permission (Chromium refuses it as optional)', async () => {
    const chromium = await launchChromium(world.caPem);
    try {
      const ext = await chromium.openExtensionPage('popup/options.html');
      expect(await callApi<boolean>(ext, 'permissions.contains', { permissions: ['debugger'] })).toBe(true);
      const manifest = await ext.evaluate(() =>
        (
          globalThis as unknown as { chrome: { runtime: { getManifest(): { optional_permissions?: string[] } } } }
        ).chrome.runtime.getManifest(),
      );
      expect(manifest.optional_permissions).toBeUndefined();
    } finally {
      await chromium.close();
    }
  });

  it('"Check this site" checks the compliant site, every SCT valid, green ✓; popup screenshot', async () => {
    const chromium = await launchChromium(world.caPem);
    try {
      const ext = await chromium.openExtensionPage('popup/options.html');
      expect(await callApi<boolean>(ext, 'permissions.contains', { permissions: ['debugger'] })).toBe(true);
      await sendToWorker(ext, { type: 'set-settings', settings: world.settings });
      const tabId = await openSite(chromium, ext, sites!.sites.compliant);
      expect(
        (await sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }))?.phase,
        'no automatic check in Chromium',
      ).not.toBe('done');

      const popup = await chromium.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
      expect((await readPopup(popup)).hasCheckButton, 'the popup offers "Check this site"').toBe(true);
      await recordFrames(popup);
      await popup.click('#check-site'); // the user's path: permission request (granted), then check-tab
      const state = await waitForVerdict(ext, tabId);
      expect(state.error).toBeUndefined();
      expect(state.phase).toBe('done');
      expect(state.summary?.level).toBe('ok');
      expect(state.report?.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'valid']);
      expect(state.report?.policies.chrome?.verdict).toBe('compliant');
      expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });

      // The popup re-renders from storage once the verdict is in (before the check-tab reply,
      // which waits for the names and SANs): from the first render that shows the SCTs, the
      // summary beside them is that verdict's, never "Checking…".
      const view = await pollUntil(
        () => readPopup(popup),
        (v) => v.scts.length > 0,
        'the popup showing the SCTs',
        5_000,
      );
      expect(view.scts).toEqual(['valid', 'valid', 'valid']);
      expect(view.verdicts.chrome).toBe('compliant');
      expect({ phase: view.summaryPhase, level: view.summaryLevel }).toEqual({ phase: 'done', level: 'ok' });
      const withScts = (await recordedFrames(popup)).filter((f) => f.scts > 0);
      expect(withScts.length).toBeGreaterThan(0);
      expect(
        withScts.filter((f) => f.phase !== 'done' || f.level !== 'ok'),
        'renders showing SCTs under another summary',
      ).toEqual([]);
      await popup.setViewport({ width: 420, height: 640 });
      await popup.screenshot({ path: outPath('chromium-popup.png'), fullPage: true });

      // The check's own reload reaches the worker as a load event, possibly after the verdict:
      // it must not wipe it.
      await new Promise((r) => setTimeout(r, 500));
      expect((await sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }))?.phase).toBe('done');
      expect(await badgeOf(ext, tabId)).toEqual({ text: '✓', color: GREEN });
      // ctlens may read the tab's address (Chromium's build holds every https host, for automatic
      // checks): a reload of the same site keeps the verdict; another site drops it.
      const [site] = await chromium.browser.pages();
      await site!.reload({ waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }))?.phase).toBe('done');
      await site!.goto(sites!.sites.noScts.url, { waitUntil: 'load' });
      const other = `127.0.0.1:${sites!.sites.noScts.port}`;
      const reset = await pollUntil(
        () => sendToWorker<TabStateView | null>(ext, { type: 'get-tab-state', tabId }),
        (s) => s?.host === other,
        'the state reset by another site',
        5_000,
      );
      expect(reset?.phase).toBe('idle');
    } finally {
      await chromium.close();
    }
  });
});
