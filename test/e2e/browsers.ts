/**
 * Real browsers for the e2e tests: HTTPS test sites on 127.0.0.1, NSS databases trusting the test
 * CA, and headless Firefox ESR / Chromium with the built extension (dist/firefox, dist/chrome)
 * driven by puppeteer-core (WebDriver BiDi for Firefox, CDP over a pipe for Chromium).
 * See /work/shared/recipes/browser-e2e.md for what was verified on this machine.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type Page, type WebWorker } from 'puppeteer-core';
import type { Readable } from 'node:stream';
import type { E2eWorld, Fixture, FixtureName } from './fixtures.js';

export const FIREFOX = '/usr/bin/firefox-esr';
/** The real binary: /usr/bin/chromium is a wrapper script that adds flags. */
export const CHROMIUM = '/usr/lib/chromium/chromium';
export const DIST_FIREFOX = resolve('dist/firefox');
export const DIST_CHROME = resolve('dist/chrome');
const OUT_DIR = resolve('test/e2e/out');
/** The gecko id in manifest.json. */
export const GECKO_ID = 'ctlens@ctlens.dev';

// ---------------------------------------------------------------------------------------------
// Test sites

export interface Site {
  readonly name: FixtureName;
  readonly url: string;
  readonly origin: string;
  readonly port: number;
}

export interface Sites {
  readonly sites: Record<Exclude<FixtureName, 'logged'>, Site> & { readonly logged?: Site };
  close(): Promise<void>;
}

/** One node:https server per fixture on 127.0.0.1 (a free port each), serving a small page. */
export async function startSites(world: E2eWorld): Promise<Sites> {
  const servers: Server[] = [];
  const sites = {} as Record<FixtureName, Site>;
  const close = async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.closeAllConnections();
            s.close(() => r());
          }),
      ),
    );
  };
  try {
    for (const fixture of Object.values(world.fixtures) as Fixture[]) {
      const server = createServer({ key: world.keyPem, cert: fixture.chainPem }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(
          `<!doctype html><html><head><title>ctlens e2e: ${fixture.name}</title></head>` +
            `<body><h1>${fixture.name}</h1></body></html>`,
        );
      });
      servers.push(server);
      await new Promise<void>((r, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => r());
      });
      const { port } = server.address() as AddressInfo;
      const origin = `https://127.0.0.1:${port}`;
      sites[fixture.name] = { name: fixture.name, url: `${origin}/`, origin, port };
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { sites, close };
}

// ---------------------------------------------------------------------------------------------
// Trust: NSS databases (Firefox profile cert9.db, Chromium $HOME/.pki/nssdb)

/** Creates an NSS sql: database in `dir` that trusts `caPem` as a TLS CA (certutil). */
export function createNssDb(dir: string, caPem: string): void {
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'ctlens-e2e-ca.pem');
  writeFileSync(caFile, caPem);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'], { stdio: 'pipe' });
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'ctlens-e2e-ca', '-t', 'C,,', '-i', caFile], {
    stdio: 'pipe',
  });
  rmSync(caFile);
}

// ---------------------------------------------------------------------------------------------
// Console errors from the extension: every e2e test fails on one (console-errors.setup.ts)

/** Errors seen since the last takeConsoleErrors, each "<browser>: <what>". */
const consoleErrors: string[] = [];

/**
 * The console errors the extension's pages (and its background page or worker) raised since the
 * last call, after a short wait for Firefox's output pipe. Firefox's WebDriver BiDi reports
 * nothing for moz-extension pages (no log.entryAdded, no preload scripts there), so Firefox's own
 * console output is read: uncaught errors ("JavaScript error: moz-extension://<uuid>/…") and, with
 * chrome code's console silenced, content console.error calls (the test sites run no script).
 */
export async function takeConsoleErrors(settleMs = 150): Promise<string[]> {
  await new Promise((r) => setTimeout(r, settleMs));
  return consoleErrors.splice(0);
}

function readFirefoxConsole(streams: readonly (Readable | null | undefined)[], extensionOrigin: string): void {
  for (const stream of streams) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const error = line.startsWith(`JavaScript error: ${extensionOrigin}/`) || line.startsWith('console.error: ');
        if (error) consoleErrors.push(`firefox: ${line}`);
      }
    });
  }
}

/** Chromium (CDP): console.error calls, uncaught errors and CSP reports of the extension's pages. */
function watchChromiumPage(page: Page, extensionOrigin: string): void {
  const fromExtension = () => page.url().startsWith(`${extensionOrigin}/`);
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && fromExtension()) consoleErrors.push(`chromium: ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e: unknown) => {
    if (fromExtension()) consoleErrors.push(`chromium: ${page.url()}: ${e instanceof Error ? e.message : String(e)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Browsers

export interface ExtensionBrowser {
  readonly kind: 'firefox' | 'chromium';
  readonly browser: Browser;
  /** moz-extension://UUID or chrome-extension://ID */
  readonly extensionOrigin: string;
  /** Opens an extension page (path relative to the extension root) in a new tab, waits until it is loaded. */
  openExtensionPage(path: string, ready?: 'loaded' | 'data-ready'): Promise<Page>;
  /** Closes the browser (killing it if it does not close) and removes its temp dir. */
  close(): Promise<void>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        res(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        rej(e);
      },
    );
  });

async function closeBrowser(browser: Browser | undefined, dir: string): Promise<void> {
  try {
    if (browser) {
      const proc = browser.process();
      await withTimeout(browser.close(), 10_000, 'browser.close').catch(() => undefined);
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until the page is an extension page, loaded (and, with 'data-ready', rendered). Polled by
 * hand: while a tab navigates to a moz-extension:// page, Firefox's BiDi can fail an evaluation
 * ("right-hand side of 'in' should be an object, got null"), which would end waitForFunction.
 */
export async function waitReady(page: Page, ready: 'loaded' | 'data-ready', scheme: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = 'not evaluated yet';
  while (Date.now() < deadline) {
    try {
      const state = await page.evaluate(
        (scheme: string, ready: string) =>
          location.protocol === scheme &&
          document.readyState === 'complete' &&
          (ready === 'loaded' || document.body?.dataset.ready === '1'),
        scheme,
        ready,
      );
      if (state) return;
      last = 'not ready';
    } catch (e) {
      last = (e as Error).message; // the page is between documents: try again
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the extension page did not become ready within 15 s (${last})`);
}

/**
 * Headless Firefox ESR over WebDriver BiDi, with a temp profile whose cert9.db trusts the test
 * CA, and the extension installed as a temporary add-on under a fixed moz-extension UUID.
 */
export async function launchFirefox(caPem: string): Promise<ExtensionBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-e2e-ff-'));
  const profile = join(dir, 'profile');
  const uuid = randomUUID();
  let browser: Browser | undefined;
  try {
    createNssDb(profile, caPem);
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile,
      // Lets BiDi navigate a tab to moz-extension:// pages.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        // Content pages' console calls on stdout, Firefox's own code's not (takeConsoleErrors).
        'devtools.console.stdout.content': true,
        'devtools.console.stdout.chrome': false,
      },
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    const id = await browser.installExtension(DIST_FIREFOX);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
  } catch (e) {
    await closeBrowser(browser, dir);
    throw e;
  }
  const b = browser;
  const extensionOrigin = `moz-extension://${uuid}`;
  const proc = b.process();
  readFirefoxConsole([proc?.stdout, proc?.stderr], extensionOrigin);
  return {
    kind: 'firefox',
    browser: b,
    extensionOrigin,
    async openExtensionPage(path, ready = 'loaded') {
      const page = await b.newPage();
      // BiDi never reports this navigation as finished (puppeteer's page.url() stays about:blank):
      // start it, then wait for the document itself.
      page.goto(`${extensionOrigin}/${path}`).catch(() => undefined);
      await waitReady(page, ready, 'moz-extension:');
      return page;
    },
    close: () => closeBrowser(b, dir),
  };
}

export interface ChromiumBrowser extends ExtensionBrowser {
  /** The extension's service worker. */
  readonly worker: WebWorker;
}

/**
 * Headless Chromium (new headless) with the unpacked extension (CDP pipe: puppeteer 24 needs it
 * for enableExtensions) and HOME pointing at a temp dir whose .pki/nssdb trusts the test CA.
 */
export async function launchChromium(
  caPem: string,
  extensionDir = DIST_CHROME,
  options: { readonly features?: readonly string[] } = {},
): Promise<ChromiumBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-e2e-cr-'));
  const home = join(dir, 'home');
  let browser: Browser | undefined;
  try {
    createNssDb(join(home, '.pki', 'nssdb'), caPem);
    browser = await puppeteer.launch({
      browser: 'chrome',
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      enableExtensions: [extensionDir],
      userDataDir: join(dir, 'profile'),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        // e.g. WebRequestSecurityInfo: webRequest gives extensions certificates (Chromium's automatic checks)
        ...(options.features?.length ? [`--enable-features=${options.features.join(',')}`] : []),
      ],
      env: { ...process.env, HOME: home },
    });
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
      { timeout: 15_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('no handle on the extension service worker');
    const b = browser;
    const extensionOrigin = `chrome-extension://${new URL(target.url()).host}`; // URL.origin is "null" for this scheme
    worker.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') consoleErrors.push(`chromium: service worker: ${m.text()}`);
    });
    for (const page of await b.pages()) watchChromiumPage(page, extensionOrigin);
    b.on('targetcreated', (t) => {
      if (t.type() !== 'page') return;
      void t.page().then(
        (page) => page && watchChromiumPage(page, extensionOrigin),
        () => undefined,
      );
    });
    return {
      kind: 'chromium',
      browser: b,
      worker,
      extensionOrigin,
      async openExtensionPage(path, ready = 'loaded') {
        const page = await b.newPage();
        await page.goto(`${extensionOrigin}/${path}`);
        await waitReady(page, ready, 'chrome-extension:');
        return page;
      },
      close: () => closeBrowser(b, dir),
    };
  } catch (e) {
    await closeBrowser(browser, dir);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Talking to the extension from one of its pages

/** `browser` in Firefox, `chrome` in Chromium (both promise-based in MV3). */
type Api = any;

/** Sends a message to the worker from an extension page and unwraps its Reply. */
export async function sendToWorker<T = unknown>(page: Page, request: object): Promise<T> {
  const reply = await page.evaluate(async (request: object) => {
    const api: Api = (globalThis as Api).browser ?? (globalThis as Api).chrome;
    return api.runtime.sendMessage(request) as Promise<{ ok: boolean; value?: unknown; error?: string }>;
  }, request);
  if (!reply?.ok)
    throw new Error(`worker replied to ${JSON.stringify(request).slice(0, 80)}: ${reply ? reply.error : 'nothing'}`);
  return reply.value as T;
}

/** Calls extension API `path` (e.g. "action.getBadgeText") with `args` in an extension page. */
export function callApi<T = unknown>(page: Page, path: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    async (path: string, args: unknown[]) => {
      const api: Api = (globalThis as Api).browser ?? (globalThis as Api).chrome;
      const parts = path.split('.');
      const method = parts.pop()!;
      const owner = parts.reduce((o: Api, p: string) => o[p], api);
      return owner[method](...args);
    },
    path,
    args,
  ) as Promise<T>;
}

/** Polls `read` until `done` holds for its value, or fails with the last value seen. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() - start > timeoutMs)
      throw new Error(`${what}: not reached in ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "#1a7f37" → [26, 127, 55, 255], the shape action.getBadgeBackgroundColor returns. */
export const rgba = (hex: string): [number, number, number, number] => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255];
};

export function outPath(name: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  return join(OUT_DIR, name);
}

// ---------------------------------------------------------------------------------------------
// What the tests read back: tab state, badge, popup

/** The parts of the worker's TabState (background/messages.ts) the tests read. */
export interface TabStateView {
  readonly phase: string;
  readonly host: string;
  readonly error?: string;
  readonly summary?: { readonly level: string; readonly title: string; readonly warning?: string };
  readonly report?: {
    readonly scts: readonly { readonly status: string; readonly position: number }[];
    readonly policies: Record<string, { readonly verdict: string }>;
  };
}

/** Waits until the worker has a verdict (done) or gave up (error) for the tab. */
export function waitForVerdict(extPage: Page, tabId: number, timeoutMs = 20_000): Promise<TabStateView> {
  return pollUntil(
    () => sendToWorker<TabStateView | null>(extPage, { type: 'get-tab-state', tabId }),
    (s) => s?.phase === 'done' || s?.phase === 'error',
    `tab ${tabId} verdict`,
    timeoutMs,
  ) as Promise<TabStateView>;
}

export async function badgeOf(extPage: Page, tabId: number): Promise<{ text: string; color: number[] }> {
  const [text, color] = await Promise.all([
    callApi<string>(extPage, 'action.getBadgeText', { tabId }),
    callApi<number[]>(extPage, 'action.getBadgeBackgroundColor', { tabId }),
  ]);
  return { text, color: [...color] };
}

/** What the popup shows, through its DOM contract (popup/popup.ts). */
export interface PopupView {
  readonly summaryLevel: string | null;
  /** The summary's phase (popup.ts): 'done' for a verdict, else 'checking', 'idle', 'error', … */
  readonly summaryPhase: string | null;
  /** data-policy → data-verdict */
  readonly verdicts: Record<string, string>;
  /** data-status of every #scts row, in order. */
  readonly scts: string[];
  /** Each #scts row's status bar colour (the row header's box-shadow), in order. */
  readonly sctBars: string[];
  readonly hasCheckButton: boolean;
}

export function readPopup(popup: Page): Promise<PopupView> {
  return popup.evaluate(() => ({
    summaryLevel: document.querySelector<HTMLElement>('#summary')?.dataset.level ?? null,
    summaryPhase: document.querySelector<HTMLElement>('#summary')?.dataset.phase ?? null,
    verdicts: Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-policy][data-verdict]')].map((e) => [
        e.dataset.policy!,
        e.dataset.verdict!,
      ]),
    ),
    scts: [...document.querySelectorAll<HTMLElement>('#scts tr[data-status]')].map((r) => r.dataset.status!),
    sctBars: [...document.querySelectorAll<HTMLElement>('#scts tr[data-status] th[scope="row"]')].map(
      (th) => getComputedStyle(th).boxShadow,
    ),
    hasCheckButton: document.querySelector('#check-site') !== null,
  }));
}

/** What the popup showed after one of its renders: the summary, and how many SCT rows beside it. */
export interface PopupFrame {
  readonly phase: string | null;
  readonly level: string | null;
  readonly scts: number;
}

/**
 * Records what the popup shows after each of its renders from now on (a MutationObserver in the
 * page: its callback runs once a render's DOM changes are complete), for `recordedFrames`.
 */
export async function recordFrames(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    const frames: { phase: string | null; level: string | null; scts: number }[] = [];
    (globalThis as unknown as { ctlensFrames: typeof frames }).ctlensFrames = frames;
    new MutationObserver(() => {
      const summary = document.querySelector<HTMLElement>('#summary');
      const scts = document.querySelectorAll('#scts tr[data-status]').length;
      frames.push({ phase: summary?.dataset.phase ?? null, level: summary?.dataset.level ?? null, scts });
    }).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}

export function recordedFrames(popup: Page): Promise<PopupFrame[]> {
  return popup.evaluate(() => (globalThis as unknown as { ctlensFrames: PopupFrame[] }).ctlensFrames);
}
