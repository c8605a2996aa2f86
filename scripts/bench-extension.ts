/**
 * Extension figures for `npm run bench` (needs firefox-esr, chromium and certutil; skipped
 * otherwise):
 *   - page-load time in Firefox with the extension against without it: the same page, the same
 *     browser and run, alternating rounds (uninstall / install), median per condition;
 *   - worker cold start to first verdict: the worker's own clock from its start to the end of its
 *     top-level code, plus the first verdict (chain received → verdict recorded, which includes
 *     loading and verifying the bundled log lists);
 *   - the background bundle's size;
 *   - then Chromium's with automatic checks on (bench-chromium.ts), when it is installed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createNssDb, DIST_FIREFOX, FIREFOX, GECKO_ID, startSites, waitReady } from '../test/e2e/browsers.js';
import { createE2eWorld } from '../test/e2e/fixtures.js';
import { addedMs, type Interval, median, medianDifferenceInterval, toHundredths } from './bench-stats.js';
import { benchChromiumAutomatic, chromiumAvailable, type ChromiumFigures } from './bench-chromium.js';

export interface ExtensionFigures extends Partial<ChromiumFigures> {
  /** Reloads of one site in one tab: the tab's verdict for the host stands, the request is not held. */
  firefoxPageLoadMedianMsWithout: number;
  firefoxPageLoadMedianMsWith: number;
  firefoxPageLoadRatio: number;
  firefoxPageLoadAddedMs: number;
  /** Loads alternating between two sites: every load is a new host for the tab, held for its certificate. */
  firefoxNewHostLoadMedianMsWithout: number;
  firefoxNewHostLoadMedianMsWith: number;
  firefoxNewHostLoadAddedMs: number;
  /** 95% intervals of the two added figures (paired bootstrap over the rounds, bench-stats.ts). */
  firefoxIntervals: { reload: Interval; newHost: Interval };
  firefoxResponseStartMedianMsWithout: number;
  firefoxResponseStartMedianMsWith: number;
  /** On the worker's clock: Firefox's start of the background page before ctlens's code runs. */
  workerBrowserStartMs: number;
  /** ctlens's top-level code (module evaluation, listeners registered). */
  workerTopLevelMs: number;
  /** Chain received → verdict recorded (badge set), the first time. */
  firstVerdictMs: number;
  /** ctlens's share of a cold start: its top-level code plus the first verdict. */
  coldStartToFirstVerdictMs: number;
  /** Everything on the worker's clock: Firefox's start-up, ctlens's top level, the first verdict. */
  coldStartToFirstVerdictWithBrowserMs: number;
  backgroundBundleBytes: number;
  backgroundBundleGzipBytes: number;
}

export const browsersAvailable = (): boolean =>
  [FIREFOX, '/usr/bin/certutil'].every((p) => existsSync(p)) && existsSync(join(DIST_FIREFOX, 'manifest.json'));

/** The 95% interval of median(with) − median(without), rounds paired, in ms to two places. */
function interval(without: readonly { duration: number }[], withExt: readonly { duration: number }[]): Interval {
  const durations = (samples: readonly { duration: number }[]) => samples.map((s) => s.duration);
  return toHundredths(medianDifferenceInterval(durations(without), durations(withExt)));
}

export function bundleSize(): { bytes: number; gzip: number } {
  const assets = join(DIST_FIREFOX, 'assets');
  const worker = readdirSync(assets).find((f) => f.startsWith('worker') && f.endsWith('.js'));
  if (!worker) throw new Error('no worker bundle in dist/firefox/assets');
  const bytes = readFileSync(join(assets, worker));
  return { bytes: bytes.length, gzip: gzipSync(bytes).length };
}

async function openExtensionPage(browser: Browser, origin: string, path: string): Promise<Page> {
  const page = await browser.newPage();
  page.goto(`${origin}/${path}`).catch(() => undefined); // BiDi never reports moz-extension loads as done
  await waitReady(page, 'data-ready', 'moz-extension:');
  return page;
}

/** One page load; returns navigation timing (ms). */
async function load(page: Page, url: string): Promise<{ duration: number; responseStart: number }> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => {
    const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { duration: e.loadEventEnd - e.startTime, responseStart: e.responseStart - e.startTime };
  });
}

/** Headless Firefox ESR with a profile trusting the test CA; with the extension installed when `uuid` is given. */
async function launch(dir: string, caPem: string, uuid?: string): Promise<Browser> {
  createNssDb(join(dir, 'profile'), caPem);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: join(dir, 'profile'),
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: uuid ? { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }) } : {},
  });
  if (uuid) await browser.installExtension(process.env.CTLENS_BENCH_EXTENSION ?? DIST_FIREFOX); // an experiment's build
  return browser;
}

export async function benchExtension(log: (line: string) => void, loads = 80): Promise<ExtensionFigures> {
  const world = await createE2eWorld();
  const sites = await startSites(world);
  const dirs = [
    mkdtempSync(join(tmpdir(), 'ctlens-bench-ff-')),
    mkdtempSync(join(tmpdir(), 'ctlens-bench-ff-')),
  ] as const;
  const uuid = randomUUID();
  const origin = `moz-extension://${uuid}`;
  const browsers: Browser[] = [];
  try {
    // Two browsers in the same run, the same page: one without ctlens, one with it; used in turn,
    // so a slow spell of the machine falls on both.
    const without = await launch(dirs[0], world.caPem);
    browsers.push(without);
    const withExt = await launch(dirs[1], world.caPem, uuid);
    browsers.push(withExt);
    const ext = await openExtensionPage(withExt, origin, 'popup/options.html');
    await ext.evaluate(
      (settings) =>
        (
          globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
        ).browser.runtime.sendMessage({ type: 'set-settings', settings }),
      world.settings,
    );
    const pages = { without: await without.newPage(), with: await withExt.newPage() };
    const url = sites.sites.compliant.url;
    // TLS, caches, JIT
    for (const page of Object.values(pages)) for (let i = 0; i < 5; i++) await load(page, `${url}?warmup=${i}`);

    const metrics = await ext.evaluate(async () => {
      const bg = await (
        globalThis as unknown as {
          browser: { runtime: { getBackgroundPage(): Promise<{ ctlens: { metrics: unknown } }> } };
        }
      ).browser.runtime.getBackgroundPage();
      return bg.ctlens.metrics as {
        startedAt: number;
        readyAt: number;
        firstCheck?: { receivedAt: number; doneAt: number };
        checks: number;
      };
    });
    type Sample = { duration: number; responseStart: number };
    const samples = { without: [] as Sample[], with: [] as Sample[] };
    const newHost = { without: [] as Sample[], with: [] as Sample[] };
    const other = sites.sites.damaged.url;
    let n = 0;
    // Interleaved load by load, so the machine's slow spells fall on both conditions alike.
    for (let i = 0; i < loads; i++) {
      for (const condition of i % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        samples[condition].push(await load(pages[condition], `${url}?n=${n++}`));
      }
    }
    for (let i = 0; i < loads; i++) {
      for (const condition of i % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        newHost[condition].push(await load(pages[condition], `${i % 2 ? url : other}?n=${n++}`));
      }
    }
    const size = bundleSize();
    if (!metrics?.firstCheck) {
      if (!process.env.CTLENS_BENCH_EXTENSION)
        throw new Error('the extension recorded no verdict during the page loads');
      metrics.firstCheck = { receivedAt: Number.NaN, doneAt: Number.NaN }; // an experiment's build that checks nothing
    }
    const w = median(samples.without.map((s) => s.duration));
    const x = median(samples.with.map((s) => s.duration));
    const figures: ExtensionFigures = {
      firefoxPageLoadMedianMsWithout: w,
      firefoxPageLoadMedianMsWith: x,
      firefoxPageLoadRatio: Number((x / w).toFixed(3)),
      firefoxPageLoadAddedMs: Number((x - w).toFixed(2)),
      firefoxNewHostLoadMedianMsWithout: median(newHost.without.map((s) => s.duration)),
      firefoxNewHostLoadMedianMsWith: median(newHost.with.map((s) => s.duration)),
      firefoxNewHostLoadAddedMs: Number(
        (median(newHost.with.map((s) => s.duration)) - median(newHost.without.map((s) => s.duration))).toFixed(2),
      ),
      firefoxIntervals: {
        reload: interval(samples.without, samples.with),
        newHost: interval(newHost.without, newHost.with),
      },
      firefoxResponseStartMedianMsWithout: median(samples.without.map((s) => s.responseStart)),
      firefoxResponseStartMedianMsWith: median(samples.with.map((s) => s.responseStart)),
      workerBrowserStartMs: Number(metrics.startedAt.toFixed(1)),
      workerTopLevelMs: Number((metrics.readyAt - metrics.startedAt).toFixed(1)),
      firstVerdictMs: Number((metrics.firstCheck.doneAt - metrics.firstCheck.receivedAt).toFixed(1)),
      coldStartToFirstVerdictMs: Number(
        (metrics.readyAt - metrics.startedAt + metrics.firstCheck.doneAt - metrics.firstCheck.receivedAt).toFixed(1),
      ),
      coldStartToFirstVerdictWithBrowserMs: Number(
        (metrics.readyAt + metrics.firstCheck.doneAt - metrics.firstCheck.receivedAt).toFixed(1),
      ),
      backgroundBundleBytes: size.bytes,
      backgroundBundleGzipBytes: size.gzip,
    };
    log(
      `Firefox page load, reloading one site, median of ${samples.without.length} loads each: ` +
        `without ${w.toFixed(1)} ms, with ctlens ${x.toFixed(1)} ms → ratio ${figures.firefoxPageLoadRatio}, ` +
        `${addedMs(figures.firefoxPageLoadAddedMs, figures.firefoxIntervals.reload)} (goal ≤ +1 ms)`,
    );
    log(
      `Firefox page load, a new host each load (held for the certificate): ` +
        `without ${figures.firefoxNewHostLoadMedianMsWithout.toFixed(1)} ms, ` +
        `with ${figures.firefoxNewHostLoadMedianMsWith.toFixed(1)} ms → ` +
        addedMs(figures.firefoxNewHostLoadAddedMs, figures.firefoxIntervals.newHost),
    );
    log(
      `  time to first response byte, median: without ${figures.firefoxResponseStartMedianMsWithout.toFixed(1)} ms, ` +
        `with ${figures.firefoxResponseStartMedianMsWith.toFixed(1)} ms`,
    );
    log(
      `Worker cold start to first verdict: ${figures.coldStartToFirstVerdictMs} ms of ctlens's ` +
        `(top-level code ${figures.workerTopLevelMs} ms ` +
        `+ first verdict ${figures.firstVerdictMs} ms; goal ≤ 50 ms), ` +
        `${figures.coldStartToFirstVerdictWithBrowserMs} ms with Firefox's ` +
        `${figures.workerBrowserStartMs} ms start of the background page`,
    );
    log(
      `Background bundle: ${(size.bytes / 1024).toFixed(0)} KiB (${(size.gzip / 1024).toFixed(0)} KiB gzipped), ` +
        `of which the two signed log lists are ~235 KiB`,
    );
    if (!chromiumAvailable()) {
      log('Chromium figures skipped: needs chromium, certutil and a built dist/chrome.');
      return figures;
    }
    // the machine's cores for Chromium's run
    for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
    return { ...figures, ...(await benchChromiumAutomatic(log, loads)) };
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    await sites.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
