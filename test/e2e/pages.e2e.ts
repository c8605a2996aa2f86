/**
 * What a person sees, in both browsers: the popup, the options and the audit page at 320 px (every
 * SCT field inside the window, nothing clipped), the verdict first, the stale list as one line
 * with its action, what an update would change, and the browser's own verdict as a sentence.
 * The extra log list is dated 100 days ago, so the test logs' verdicts are unknown (stale), and
 * would be compliant. Every test here, like every e2e test, fails on a console error from the
 * extension (console-errors.setup.ts); the last tests show that such an error is caught.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  launchChromium,
  launchFirefox,
  outPath,
  pollUntil,
  readPopup,
  sendToWorker,
  startSites,
  takeConsoleErrors,
  waitForVerdict,
  type ExtensionBrowser,
  type Sites,
} from './browsers.js';
import { createE2eWorld, DAY, type E2eWorld } from './fixtures.js';

const NARROW = { width: 320, height: 900 };
const RAW_WORDS = /not_applicable|policy_compliant|policy_not|certificateTransparency|ctlens loglist|--update/;
const WOULD_BE =
  "After a log list update, Chrome's verdict would likely be compliant (if the logs' states are unchanged).";

/** The world's settings with its extra list dated 100 days ago: its logs' verdicts are stale. */
function staleSettings(world: E2eWorld): E2eWorld['settings'] {
  const list = JSON.parse(world.logListJson) as { log_list_timestamp: string };
  const dated = Math.floor((Date.now() - 100 * DAY) / 1000) * 1000;
  list.log_list_timestamp = new Date(dated).toISOString().replace('.000Z', 'Z');
  return { ...world.settings, extraLogList: JSON.stringify(list) };
}

/** Every field of every SCT row inside the window and not clipped; no sideways scrolling. */
function narrowProblems(page: Page): Promise<{ rows: number; problems: string[] }> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const page = document.documentElement.scrollWidth;
    if (page > width) problems.push(`the page scrolls sideways: ${page} > ${width}`);
    const wrap = document.querySelector('.scts .table-wrap');
    if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) {
      problems.push(`the SCT table scrolls: ${wrap.scrollWidth} > ${wrap.clientWidth}`);
    }
    const rows = [...document.querySelectorAll('#scts tbody tr[data-status]')];
    rows.forEach((row, i) => {
      for (const cell of row.querySelectorAll<HTMLElement>('th, td')) {
        const r = cell.getBoundingClientRect();
        const name = `SCT ${i + 1} ${cell.dataset.label ?? '#'}`;
        const shown = r.width >= 1 && r.height >= 1 && getComputedStyle(cell).visibility === 'visible';
        if (!shown) problems.push(`${name}: hidden`);
        if (r.left < -0.5 || r.right > width + 0.5) {
          problems.push(`${name}: outside the window (${r.left}–${r.right} of ${width})`);
        }
        if (cell.scrollWidth > cell.clientWidth + 1) {
          problems.push(`${name}: clipped (${cell.scrollWidth} > ${cell.clientWidth})`);
        }
      }
    });
    return { rows: rows.length, problems };
  });
}

/** What the report shows first, the stale line's place and text, the would-be sentences, the page's words. */
function readWords(page: Page) {
  return page.evaluate(() => {
    const report = document.querySelector('.report');
    const policies = report?.querySelector('section.policies');
    const notice = document.querySelector('#stale-notice');
    return {
      first: report?.firstElementChild?.className ?? null,
      noticeInPolicies: notice
        ? policies?.contains(notice) === true && notice.previousElementSibling?.matches('ul.policy-list') === true
        : null,
      notice: notice?.textContent ?? null,
      noticeAction: notice?.querySelector('button')?.textContent ?? null,
      wouldBe: document.querySelector('[data-policy="chrome"] .would-be')?.textContent ?? null,
      browserVerdict: document.querySelector('#browser-verdict')?.textContent ?? null,
      // biome-ignore lint/performance/useDomNodeTextContent: the words a reader sees (rendered, hidden parts left out)
      text: document.body.innerText,
    };
  });
}

/** The checks every report page gets: at 320 px, the words and the layout. */
async function expectReadableReport(page: Page, screenshot: string, googleListStale: boolean) {
  await page.setViewport(NARROW);
  await page.screenshot({ path: outPath(screenshot), fullPage: true });
  const layout = await narrowProblems(page);
  expect(layout.rows, 'SCT rows shown').toBe(3);
  expect(layout.problems).toEqual([]);
  const words = await readWords(page);
  expect(words.first, 'the verdicts come first').toBe('policies');
  expect(words.wouldBe).toBe(WOULD_BE);
  expect(words.text).not.toMatch(RAW_WORDS);
  if (googleListStale) {
    expect(words.noticeInPolicies, 'the stale line follows the verdicts').toBe(true);
    const line = /^The log list is \d+ days old \(over 70\): the Chrome, Apple and Firefox verdicts are unknown until/;
    expect(words.notice).toMatch(line);
  } else expect(words.notice).toBeNull();
  return words;
}

async function expectReadableOptions(browser: ExtensionBrowser, googleListStale: boolean): Promise<void> {
  const options = await browser.openExtensionPage('popup/options.html', 'data-ready');
  await options.setViewport(NARROW);
  await options.screenshot({ path: outPath(`${browser.kind}-options-320.png`), fullPage: true });
  const state = await options.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    stale: document.querySelector('#stale-warning')?.textContent ?? null,
  }));
  expect(state.overflow, 'the options page scrolls sideways at 320 px').toBeLessThanOrEqual(0);
  if (googleListStale) expect(state.stale).toMatch(/^The log list is \d+ days old \(over 70\): verdicts that depend/);
  else expect(state.stale).toBeNull();
}

async function expectReadableAudit(browser: ExtensionBrowser, world: E2eWorld, googleListStale: boolean) {
  const audit = await browser.openExtensionPage('popup/audit.html', 'data-ready');
  await audit.evaluate((pem) => {
    (document.querySelector('#pem') as HTMLTextAreaElement).value = pem;
  }, world.fixtures.compliant.chainPem);
  await audit.click('#check');
  const renders = () => audit.evaluate(() => document.body.dataset.renders);
  await pollUntil(renders, (r) => r === '1', 'the audit report', 10_000);
  const words = await expectReadableReport(audit, `${browser.kind}-audit-320.png`, googleListStale);
  if (googleListStale) expect(words.noticeAction).toBe('Update the log list in Options');
}

/**
 * An eval in an extension page, which the pages' CSP (script-src 'self') refuses, reaches
 * takeConsoleErrors: the EvalError of issue 8, and proof that the check itself can fail.
 */
async function expectErrorsCaught(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.openExtensionPage('popup/options.html', 'data-ready');
  await page.evaluate(() => {
    setTimeout(() => globalThis.eval('"ctlens-e2e-probe"'), 0);
  });
  const seen = await pollUntil(
    () => takeConsoleErrors(50),
    (errors) => errors.length > 0,
    'the probe error',
    5_000,
  );
  expect(seen.join('\n')).toMatch(/EvalError|unsafe-eval/);
}

describe('what a person sees', () => {
  let world: E2eWorld;
  let sites: Sites | undefined;

  beforeAll(async () => {
    world = await createE2eWorld();
    sites = await startSites(world);
  });

  afterAll(async () => {
    await sites?.close();
  });

  describe('Firefox', () => {
    let firefox: ExtensionBrowser | undefined;
    let ext: Page;
    let googleListStale = false;

    beforeAll(async () => {
      firefox = await launchFirefox(world.caPem);
      ext = await firefox.openExtensionPage('popup/options.html', 'data-ready');
      await sendToWorker(ext, { type: 'set-settings', settings: staleSettings(world) });
      googleListStale = (await sendToWorker<{ stale: boolean }>(ext, { type: 'get-log-list-info' })).stale;
    });

    afterAll(async () => {
      await firefox?.close();
    });

    it("popup at 320 px: the verdicts first, what an update would change, Firefox's verdict in words", async () => {
      const site = await firefox!.browser.newPage();
      await site.goto(sites!.sites.compliant.url);
      const tabs = await callApi<{ id: number; url?: string }[]>(ext, 'tabs.query', { url: 'https://127.0.0.1/*' });
      const tabId = tabs.find((t) => t.url === sites!.sites.compliant.url)!.id;
      const state = await waitForVerdict(ext, tabId);
      expect(state.report?.policies.chrome?.verdict).toBe('unknown');
      const popup = await firefox!.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
      expect((await readPopup(popup)).scts).toEqual(['valid', 'valid', 'valid']);
      const words = await expectReadableReport(popup, 'firefox-popup-320.png', googleListStale);
      // Firefox does not judge CT for a root it does not ship (the test CA).
      expect(words.browserVerdict).toBe('Firefox did not check CT for this site: its root is not a public one.');
    });

    it('options and audit pages at 320 px', async () => {
      await expectReadableOptions(firefox!, googleListStale);
      await expectReadableAudit(firefox!, world, googleListStale);
    });

    it('an eval the CSP refuses in an extension page is caught by the console check', () =>
      expectErrorsCaught(firefox!));
  });

  describe('Chromium', () => {
    it("popup, options and audit pages at 320 px; Chromium's verdict as a sentence; errors are caught", async () => {
      const chromium = await launchChromium(world.caPem);
      try {
        const ext = await chromium.openExtensionPage('popup/options.html', 'data-ready');
        await sendToWorker(ext, { type: 'set-settings', settings: staleSettings(world) });
        const googleListStale = (await sendToWorker<{ stale: boolean }>(ext, { type: 'get-log-list-info' })).stale;
        const [first] = await chromium.browser.pages();
        await first!.goto(sites!.sites.compliant.url);
        const tabs = await callApi<{ id: number; url?: string }[]>(ext, 'tabs.query', {});
        const tabId = tabs.find((t) => !t.url?.startsWith(chromium.extensionOrigin))!.id;
        const popup = await chromium.openExtensionPage(`popup/popup.html?tab=${tabId}`, 'data-ready');
        await popup.click('#check-site');
        const state = await waitForVerdict(ext, tabId);
        expect(state.report?.policies.chrome?.verdict).toBe('unknown');
        await pollUntil(
          () => readPopup(popup),
          (v) => v.scts.length === 3,
          'the popup showing the SCTs',
          5_000,
        );
        const words = await expectReadableReport(popup, 'chromium-popup-320.png', googleListStale);
        const chromiumSays = 'Chromium did not check CT for this site: most likely its root is not a public one.';
        expect(words.browserVerdict).toBe(chromiumSays);
        await expectReadableOptions(chromium, googleListStale);
        await expectReadableAudit(chromium, world, googleListStale);
        await expectErrorsCaught(chromium);
      } finally {
        await chromium.close();
      }
    });
  });
});
