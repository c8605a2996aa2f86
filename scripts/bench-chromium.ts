/**
 * Chromium figures for `npm run bench` (needs chromium and certutil; skipped otherwise), with
 * Chromium's WebRequestSecurityInfo feature on, so ctlens checks every page as it loads:
 *   - page-load time with the extension against without it: browsers in the same run, the same
 *     pages, loads interleaved one by one, median per condition, and a second browser without it
 *     for the noise floor (an A/A difference); reloads of one site (the tab's
 *     verdict stands) and loads alternating between two sites (each one checked);
 *   - worker cold start to first verdict: the worker's clock in a fresh browser, its top-level code,
 *     then the first response to the first verdict (its issuer fetched from a local caIssuers server,
 *     as on a first visit to a site of that CA, and the log lists loaded and verified).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM, createNssDb, DIST_CHROME, startSites } from '../test/e2e/browsers.js';
import { createE2eWorld } from '../test/e2e/fixtures.js';
import { serve } from '../test/support/http-server.js';

export interface ChromiumFigures {
  /** Reloads of one site in one tab: the tab's verdict for that certificate stands, nothing is checked. */
  chromiumPageLoadMedianMsWithout: number;
  chromiumPageLoadMedianMsWith: number;
  chromiumPageLoadRatio: number;
  chromiumPageLoadAddedMs: number;
  /** Loads alternating between two sites: each is a new host for the tab, its certificate checked. */
  chromiumNewHostLoadMedianMsWithout: number;
  chromiumNewHostLoadMedianMsWith: number;
  chromiumNewHostLoadAddedMs: number;
  /**
   * The same two figures between two browsers both without ctlens (an A/A comparison): how far
   * apart the medians of identical conditions come out on this machine in this run.
   */
  chromiumPageLoadNoiseMs: number;
  chromiumNewHostLoadNoiseMs: number;
  /** ctlens's top-level code in the worker (module evaluation, listeners registered). */
  chromiumWorkerTopLevelMs: number;
  /** The first response's arrival → its verdict recorded (issuer fetched, log lists verified). */
  chromiumFirstVerdictMs: number;
  chromiumColdStartToFirstVerdictMs: number;
}

export const chromiumAvailable = (): boolean =>
  [CHROMIUM, '/usr/bin/certutil'].every((p) => existsSync(p)) && existsSync(join(DIST_CHROME, 'manifest.json'));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** One page load: navigation start → load event end (ms). */
async function load(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => {
    const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return e.loadEventEnd - e.startTime;
  });
}

interface Metrics {
  startedAt: number;
  readyAt: number;
  firstCheck?: { receivedAt: number; doneAt: number };
}

export async function benchChromiumAutomatic(log: (line: string) => void, loads = 80): Promise<ChromiumFigures> {
  const routes: Record<string, { body: Uint8Array }> = {};
  const aia = await serve(routes);
  const world = await createE2eWorld(Date.now(), [], { caIssuersUrl: `${aia.url}/issuer.crt` });
  routes['/issuer.crt'] = { body: world.issuerDer };
  const sites = await startSites(world);
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-bench-cr-'));
  const browsers: Browser[] = [];
  try {
    // Three browsers launched alike, one with the extension: used in turn, so a slow spell of the
    // machine falls on all; the two without it measure the noise floor.
    const without = await launch(join(dir, 'without'), world.caPem);
    browsers.push(without);
    const control = await launch(join(dir, 'control'), world.caPem);
    browsers.push(control);
    const withExt = await launch(join(dir, 'with'), world.caPem, DIST_CHROME);
    browsers.push(withExt);
    const target = await withExt.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    );
    const worker = (await target.worker())!;
    const origin = `chrome-extension://${new URL(target.url()).host}`;
    const ext = await withExt.newPage();
    await ext.goto(`${origin}/popup/options.html`);
    await ext.evaluate(
      (settings) =>
        (
          globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
        ).chrome.runtime.sendMessage({ type: 'set-settings', settings }),
      world.settings,
    );
    const pages = { without: await without.newPage(), control: await control.newPage(), with: await withExt.newPage() };
    const url = sites.sites.compliant.url;
    await load(pages.with, `${url}?first`); // the worker's first verdict, measured below
    const metrics = await pollMetrics(worker);
    for (const page of Object.values(pages)) for (let i = 0; i < 5; i++) await load(page, `${url}?warmup=${i}`);
    const conditions = ['without', 'control', 'with'] as const;
    const samples = { without: [] as number[], control: [] as number[], with: [] as number[] };
    const newHost = { without: [] as number[], control: [] as number[], with: [] as number[] };
    const other = sites.sites.damaged.url;
    let n = 0;
    const checksBefore = await checksOf(worker);
    for (const [into, urlOf] of [
      [samples, () => url],
      [newHost, (i: number) => (i % 2 ? url : other)],
    ] as const) {
      for (let i = 0; i < loads; i++) {
        // Each condition takes each place in the order in turn.
        for (const condition of [...conditions.slice(i % 3), ...conditions.slice(0, i % 3)]) {
          into[condition].push(await load(pages[condition], `${urlOf(i)}?n=${n++}`));
        }
      }
    }
    const checked = (await checksOf(worker)) - checksBefore;
    if (checked < loads)
      throw new Error(`ctlens checked ${checked} of the ${loads} new-host loads: automatic checks are not on`);
    const w = median(samples.without);
    const x = median(samples.with);
    const nw = median(newHost.without);
    const nx = median(newHost.with);
    const topLevel = metrics.metrics.readyAt - metrics.metrics.startedAt;
    const first = metrics.firstCheck.doneAt - metrics.firstResponseAt;
    const figures: ChromiumFigures = {
      chromiumPageLoadMedianMsWithout: w,
      chromiumPageLoadMedianMsWith: x,
      chromiumPageLoadRatio: Number((x / w).toFixed(3)),
      chromiumPageLoadAddedMs: Number((x - w).toFixed(2)),
      chromiumNewHostLoadMedianMsWithout: nw,
      chromiumNewHostLoadMedianMsWith: nx,
      chromiumNewHostLoadAddedMs: Number((nx - nw).toFixed(2)),
      chromiumPageLoadNoiseMs: Number((median(samples.control) - w).toFixed(2)),
      chromiumNewHostLoadNoiseMs: Number((median(newHost.control) - nw).toFixed(2)),
      chromiumWorkerTopLevelMs: Number(topLevel.toFixed(1)),
      chromiumFirstVerdictMs: Number(first.toFixed(1)),
      chromiumColdStartToFirstVerdictMs: Number((topLevel + first).toFixed(1)),
    };
    const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms} ms`;
    log(
      `Chromium page load (automatic checks on), reloading one site, median of ${loads} loads each: ` +
        `without ${w.toFixed(1)} ms, with ctlens ${x.toFixed(1)} ms → ratio ${figures.chromiumPageLoadRatio}, ` +
        `${signed(figures.chromiumPageLoadAddedMs)} (goal ≤ +1 ms)`,
    );
    log(
      `Chromium page load, a new host each load (its certificate checked): without ${nw.toFixed(1)} ms, ` +
        `with ${nx.toFixed(1)} ms → ratio ${(nx / nw).toFixed(3)}, ${signed(figures.chromiumNewHostLoadAddedMs)}`,
    );
    log(
      `Chromium page-load noise floor, two browsers without ctlens (A/A): reloads ` +
        `${signed(figures.chromiumPageLoadNoiseMs)}, new hosts ${signed(figures.chromiumNewHostLoadNoiseMs)}: ` +
        'a difference within these is not one this run can tell from chance',
    );
    log(
      `Chromium worker cold start to first verdict: ${figures.chromiumColdStartToFirstVerdictMs} ms ` +
        `(top-level code ${figures.chromiumWorkerTopLevelMs} ms + first response to verdict ` +
        `${figures.chromiumFirstVerdictMs} ms, its issuer fetched from a local caIssuers server)`,
    );
    return figures;
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    await sites.close();
    await aia.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Headless Chromium with the feature on and HOME's NSS database trusting the test CA; the extension when given. */
async function launch(dir: string, caPem: string, extension?: string): Promise<Browser> {
  createNssDb(join(dir, 'home', '.pki', 'nssdb'), caPem);
  return puppeteer.launch({
    browser: 'chrome',
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    userDataDir: join(dir, 'profile'),
    enableExtensions: extension ? [extension] : true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-features=WebRequestSecurityInfo',
    ],
    env: { ...process.env, HOME: join(dir, 'home') },
  });
}

const checksOf = (worker: { evaluate<T>(fn: () => T): Promise<T> }): Promise<number> =>
  worker.evaluate(() => (globalThis as unknown as { ctlens: { metrics: { checks: number } } }).ctlens.metrics.checks);

/** The worker's metrics once its first verdict is in. */
async function pollMetrics(worker: { evaluate<T>(fn: () => T): Promise<T> }) {
  for (let i = 0; i < 200; i++) {
    const m = await worker.evaluate(() => {
      const c = (globalThis as unknown as { ctlens: { metrics: Metrics; chromiumFirstResponseAt?: number } }).ctlens;
      return { metrics: c.metrics, firstResponseAt: c.chromiumFirstResponseAt };
    });
    if (m.metrics.firstCheck && m.firstResponseAt !== undefined)
      return { ...m, firstCheck: m.metrics.firstCheck, firstResponseAt: m.firstResponseAt };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the extension recorded no verdict for the first page');
}
