/**
 * Chromium figures for `npm run bench` (needs chromium and certutil; skipped otherwise), with
 * Chromium's WebRequestSecurityInfo feature on, so ctlens checks every page as it loads:
 *   - page-load time with the extension against without it: browsers in the same run, the same
 *     pages, loads interleaved one by one, median per condition, and a second browser without it
 *     for the noise floor (an A/A difference); reloads of one site (the tab's
 *     verdict stands) and loads alternating between two sites (each one checked);
 *   - what of that is Chromium's cost of the API itself: a fourth browser with an extension that
 *     registers ctlens's webRequest listener (same filter, same extraInfoSpec) and does nothing
 *     else, so "ctlens beyond the API" is ctlens's own share; and each browser's CPU per load
 *     (its processes' time from /proc), steadier than wall-clock time on a busy machine;
 *   - worker cold start to first verdict: the worker's clock in a fresh browser, its top-level code,
 *     then the first response to the first verdict (its issuer fetched from a local caIssuers server,
 *     as on a first visit to a site of that CA, and the log lists loaded and verified).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_RESPONSES_FILTER, SECURITY_INFO_OPTIONS } from '../background/chromium-webrequest-reader.js';
import { CHROMIUM, createNssDb, DIST_CHROME, startSites } from '../test/e2e/browsers.js';
import { createE2eWorld } from '../test/e2e/fixtures.js';
import { serve } from '../test/support/http-server.js';
import { addedMs, type Interval, median, medianDifferenceInterval, toHundredths } from './bench-stats.js';
import { processTreeCpuMs } from './process-cpu.js';

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
  /** A browser whose extension only registers ctlens's listener, against without: Chromium's cost of the API. */
  chromiumApiOnlyPageLoadAddedMs: number;
  chromiumApiOnlyNewHostLoadAddedMs: number;
  /** With ctlens against the listener alone: what ctlens adds beyond the API it must use. */
  chromiumBeyondApiPageLoadAddedMs: number;
  chromiumBeyondApiNewHostLoadAddedMs: number;
  /** CPU per load of each browser's processes (Linux /proc; absent elsewhere), reloads and new hosts. */
  chromiumCpuMsPerLoad?: Record<Condition, { reload: number; newHost: number }>;
  /**
   * 95% intervals (paired bootstrap over rounds, bench-stats.ts) of the differences above, in ms:
   * a difference whose interval holds 0 is not one this run can tell from chance.
   */
  chromiumIntervals: Record<Comparison, { reload: Interval; newHost: Interval }>;
  /** ctlens's top-level code in the worker (module evaluation, listeners registered). */
  chromiumWorkerTopLevelMs: number;
  /** The first response's arrival → its verdict recorded (issuer fetched, log lists verified). */
  chromiumFirstVerdictMs: number;
  chromiumColdStartToFirstVerdictMs: number;
}

export const chromiumAvailable = (): boolean =>
  [CHROMIUM, '/usr/bin/certutil'].every((p) => existsSync(p)) && existsSync(join(DIST_CHROME, 'manifest.json'));

const CONDITIONS = ['without', 'control', 'apiOnly', 'with'] as const;
type Condition = (typeof CONDITIONS)[number];
/** The differences the bench reports: what is compared with what. */
const COMPARISONS = {
  added: ['with', 'without'],
  noise: ['control', 'without'],
  apiOnly: ['apiOnly', 'without'],
  beyondApi: ['with', 'apiOnly'],
} as const satisfies Record<string, readonly [Condition, Condition]>;
type Comparison = keyof typeof COMPARISONS;

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
  const browsers = {} as Record<Condition, Browser>;
  try {
    // Four browsers launched alike, used in turn, so a slow spell of the machine falls on all: two
    // without an extension (their difference is the noise floor), one with ctlens's listener alone,
    // one with ctlens.
    browsers.without = await launch(join(dir, 'without'), world.caPem);
    browsers.control = await launch(join(dir, 'control'), world.caPem);
    browsers.apiOnly = await launch(join(dir, 'api-only'), world.caPem, writeListenerOnlyExtension(dir));
    browsers.with = await launch(join(dir, 'with'), world.caPem, DIST_CHROME);
    const target = await browsers.with.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    );
    const worker = (await target.worker())!;
    const origin = `chrome-extension://${new URL(target.url()).host}`;
    const ext = await browsers.with.newPage();
    await ext.goto(`${origin}/popup/options.html`);
    await ext.evaluate(
      (settings) =>
        (
          globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
        ).chrome.runtime.sendMessage({ type: 'set-settings', settings }),
      world.settings,
    );
    const pages = {} as Record<Condition, Page>;
    for (const c of CONDITIONS) pages[c] = await browsers[c].newPage();
    const url = sites.sites.compliant.url;
    await load(pages.with, `${url}?first`); // the worker's first verdict, measured below
    const metrics = await pollMetrics(worker);
    for (const page of Object.values(pages)) for (let i = 0; i < 5; i++) await load(page, `${url}?warmup=${i}`);
    const other = sites.sites.damaged.url;
    const checksBefore = await checksOf(worker);
    const reload = await interleave(pages, browsers, loads, (i) => `${url}?reload=${i}`);
    const newHost = await interleave(pages, browsers, loads, (i) => `${i % 2 ? url : other}?new-host=${i}`);
    const checked = (await checksOf(worker)) - checksBefore;
    if (checked < loads)
      throw new Error(`ctlens checked ${checked} of the ${loads} new-host loads: automatic checks are not on`);
    const added = (samples: Samples, c: Condition, base: Condition = 'without') =>
      Number((median(samples.ms[c]) - median(samples.ms[base])).toFixed(2));
    const w = median(reload.ms.without);
    const x = median(reload.ms.with);
    const nw = median(newHost.ms.without);
    const nx = median(newHost.ms.with);
    const topLevel = metrics.metrics.readyAt - metrics.metrics.startedAt;
    const first = metrics.firstCheck.doneAt - metrics.firstResponseAt;
    const cpu = cpuPerLoad(reload, newHost, loads);
    const figures: ChromiumFigures = {
      chromiumPageLoadMedianMsWithout: w,
      chromiumPageLoadMedianMsWith: x,
      chromiumPageLoadRatio: Number((x / w).toFixed(3)),
      chromiumPageLoadAddedMs: added(reload, 'with'),
      chromiumNewHostLoadMedianMsWithout: nw,
      chromiumNewHostLoadMedianMsWith: nx,
      chromiumNewHostLoadAddedMs: added(newHost, 'with'),
      chromiumPageLoadNoiseMs: added(reload, 'control'),
      chromiumNewHostLoadNoiseMs: added(newHost, 'control'),
      chromiumApiOnlyPageLoadAddedMs: added(reload, 'apiOnly'),
      chromiumApiOnlyNewHostLoadAddedMs: added(newHost, 'apiOnly'),
      chromiumBeyondApiPageLoadAddedMs: added(reload, 'with', 'apiOnly'),
      chromiumBeyondApiNewHostLoadAddedMs: added(newHost, 'with', 'apiOnly'),
      ...(cpu && { chromiumCpuMsPerLoad: cpu }),
      chromiumIntervals: intervals(reload, newHost),
      chromiumWorkerTopLevelMs: Number(topLevel.toFixed(1)),
      chromiumFirstVerdictMs: Number(first.toFixed(1)),
      chromiumColdStartToFirstVerdictMs: Number((topLevel + first).toFixed(1)),
    };
    const signed = (ms: number, c: Comparison, mode: 'reload' | 'newHost' = 'reload') =>
      addedMs(ms, figures.chromiumIntervals[c][mode]);
    log(
      `Chromium page load (automatic checks on), reloading one site, median of ${loads} loads each: ` +
        `without ${w.toFixed(1)} ms, with ctlens ${x.toFixed(1)} ms → ratio ${figures.chromiumPageLoadRatio}, ` +
        `${signed(figures.chromiumPageLoadAddedMs, 'added')} (goal ≤ +1 ms)`,
    );
    log(
      `Chromium page load, a new host each load (its certificate checked): without ${nw.toFixed(1)} ms, ` +
        `with ${nx.toFixed(1)} ms → ratio ${(nx / nw).toFixed(3)}, ` +
        signed(figures.chromiumNewHostLoadAddedMs, 'added', 'newHost'),
    );
    log(
      `Chromium page-load noise floor, two browsers without ctlens (A/A): reloads ` +
        `${signed(figures.chromiumPageLoadNoiseMs, 'noise')}, ` +
        `new hosts ${signed(figures.chromiumNewHostLoadNoiseMs, 'noise', 'newHost')}: what chance alone gives here`,
    );
    log(
      `Chromium's own cost of the API, an extension with ctlens's listener alone: reloads ` +
        `${signed(figures.chromiumApiOnlyPageLoadAddedMs, 'apiOnly')}, ` +
        `new hosts ${signed(figures.chromiumApiOnlyNewHostLoadAddedMs, 'apiOnly', 'newHost')}; ` +
        `ctlens beyond it: reloads ${signed(figures.chromiumBeyondApiPageLoadAddedMs, 'beyondApi')}, ` +
        `new hosts ${signed(figures.chromiumBeyondApiNewHostLoadAddedMs, 'beyondApi', 'newHost')}`,
    );
    if (cpu)
      log(
        'Chromium CPU per load, all its processes (reloads / new hosts): ' +
          CONDITIONS.map((c) => `${c} ${cpu[c].reload.toFixed(1)} / ${cpu[c].newHost.toFixed(1)} ms`).join(', '),
      );
    log(
      `Chromium worker cold start to first verdict: ${figures.chromiumColdStartToFirstVerdictMs} ms ` +
        `(top-level code ${figures.chromiumWorkerTopLevelMs} ms + first response to verdict ` +
        `${figures.chromiumFirstVerdictMs} ms, its issuer fetched from a local caIssuers server)`,
    );
    return figures;
  } finally {
    for (const b of Object.values(browsers)) await b.close().catch(() => undefined);
    await sites.close();
    await aia.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Samples {
  /** Each condition's load times. */
  readonly ms: Record<Condition, number[]>;
  /** Each browser's CPU over the loads (undefined where /proc is not). */
  readonly cpuMs: Record<Condition, number | undefined>;
}

/** `loads` rounds, one load per browser each, each browser taking each place in the order in turn. */
async function interleave(
  pages: Record<Condition, Page>,
  browsers: Record<Condition, Browser>,
  loads: number,
  urlOf: (i: number) => string,
): Promise<Samples> {
  const cpuOf = (c: Condition) => processTreeCpuMs(browsers[c].process()?.pid ?? -1);
  const cpuBefore = Object.fromEntries(CONDITIONS.map((c) => [c, cpuOf(c)]));
  const ms = Object.fromEntries(CONDITIONS.map((c) => [c, [] as number[]])) as Record<Condition, number[]>;
  for (let i = 0; i < loads; i++) {
    const k = i % CONDITIONS.length;
    for (const c of [...CONDITIONS.slice(k), ...CONDITIONS.slice(0, k)])
      ms[c].push(await load(pages[c], `${urlOf(i)}-${c}`));
  }
  const cpuMs = Object.fromEntries(
    CONDITIONS.map((c) => {
      const [before, after] = [cpuBefore[c], cpuOf(c)];
      return [c, before === undefined || after === undefined ? undefined : after - before];
    }),
  ) as Record<Condition, number | undefined>;
  return { ms, cpuMs };
}

function intervals(reload: Samples, newHost: Samples): ChromiumFigures['chromiumIntervals'] {
  const of = (samples: Samples, [c, base]: readonly [Condition, Condition]) =>
    toHundredths(medianDifferenceInterval(samples.ms[base], samples.ms[c]));
  return Object.fromEntries(
    Object.entries(COMPARISONS).map(([name, pair]) => [name, { reload: of(reload, pair), newHost: of(newHost, pair) }]),
  ) as ChromiumFigures['chromiumIntervals'];
}

function cpuPerLoad(reload: Samples, newHost: Samples, loads: number): ChromiumFigures['chromiumCpuMsPerLoad'] {
  const out = {} as Record<Condition, { reload: number; newHost: number }>;
  for (const c of CONDITIONS) {
    const [r, n] = [reload.cpuMs[c], newHost.cpuMs[c]];
    if (r === undefined || n === undefined) return undefined;
    out[c] = { reload: r / loads, newHost: n / loads };
  }
  return out;
}

/** An extension that registers ctlens's webRequest listener and does nothing else. */
function writeListenerOnlyExtension(dir: string): string {
  const root = join(dir, 'listener-only-extension');
  mkdirSync(root, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: 'ctlens bench: the listener alone',
    version: '1.0',
    permissions: ['webRequest'],
    host_permissions: ['https://*/*', 'http://*/*'],
    background: { service_worker: 'worker.js' },
  };
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(manifest));
  const listener =
    `chrome.webRequest.onHeadersReceived.addListener((d) => { globalThis.seen = (globalThis.seen ?? 0) + 1; }, ` +
    `${JSON.stringify(CHROMIUM_RESPONSES_FILTER)}, ${JSON.stringify(SECURITY_INFO_OPTIONS)});`;
  writeFileSync(join(root, 'worker.js'), listener);
  return root;
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
