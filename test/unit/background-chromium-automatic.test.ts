/**
 * Chromium's automatic checks through the controller (background/chromium-responses.ts): a leaf
 * given alone, its issuer found among those held or fetched from its caIssuers URL on a real HTTP
 * server on loopback, the mode the worker found, and all of it across worker restarts (the same
 * storage, a new Controller). Certificates are issued in the test; every verdict is computed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { ChromiumSecurityInfo } from '../../background/chromium-responses.js';
import { RETRY_FAILED_AFTER_MS } from '../../background/issuer-store.js';
import { encodePem } from '../../src/pem.js';
import { toBase64 } from '../../src/bytes.js';
import { serve, type Route, type TestServer } from '../support/http-server.js';
import { authorityKeyIdExtension, caIssuersExtension, createCa } from '../support/issuer-pki.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { createTestLog, issueWithEmbeddedScts, logListJson, type TestCa, type TestLog } from '../support/test-pki.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 2, 12);
let server: TestServer;
let ca: TestCa;
let logs: TestLog[];
let listJson: string;
const route = '/ca.crt';
/** serve() reads this object at each request: a test sets what the route serves. */
const routes: Record<string, Route> = { '/missing.crt': { status: 404, body: 'no' } };

beforeAll(async () => {
  server = await serve(routes);
  ca = await createCa('ctlens automatic test CA', 'P-256');
  logs = [createTestLog('A1'), createTestLog('A2'), createTestLog('B1')];
  const since = Date.UTC(2025, 0, 1);
  const usable = (log: TestLog) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const });
  listJson = logListJson({
    timestamp: NOW - DAY,
    operators: [
      { name: 'Op A', logs: [usable(logs[0]!), usable(logs[1]!)] },
      { name: 'Op B', logs: [usable(logs[2]!)] },
    ],
  });
});
afterAll(() => server.close());

/** A leaf for host `n` with 3 embedded SCTs (one damaged when asked) naming `aiaPath` as its caIssuers URL. */
async function leaf(options: { aiaPath?: string; tamper?: boolean; scts?: boolean } = {}): Promise<Uint8Array> {
  const issued = NOW - DAY;
  const extensions = [
    authorityKeyIdExtension(ca),
    ...(options.aiaPath ? [caIssuersExtension([`${server.url}${options.aiaPath}`])] : []),
  ];
  const scts =
    options.scts === false
      ? []
      : logs.map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1), tamper: options.tamper && i === 2 }));
  return (await issueWithEmbeddedScts(ca, { notBefore: issued, notAfter: issued + 90 * DAY, logs: scts, extensions }))
    .der;
}

async function start(api: MemoryBrowser, options: { chromiumAutomatic?: boolean } = {}): Promise<Controller> {
  const controller = new Controller(api, { chromiumAutomatic: options.chromiumAutomatic ?? true });
  await controller.warmUp();
  return controller;
}

async function browser(settings: Record<string, unknown> = {}): Promise<MemoryBrowser> {
  const api = new MemoryBrowser();
  api.time = NOW;
  await api.local.set('settings', { extraLogList: listJson, checkPrivateRoots: true, ...settings });
  return api;
}

const info = (der: Uint8Array): ChromiumSecurityInfo => ({
  state: 'secure',
  certificates: [{ rawDER: der.slice().buffer }],
});
const visit = (
  c: Controller,
  tabId: number,
  der: Uint8Array,
  url = `https://site${tabId}.example/`,
  frame: 'main_frame' | 'sub_frame' = 'main_frame',
) => c.onChromiumResponse({ tabId, url, frame, info: info(der) });
const state = (c: Controller, tabId: number) => c.tabs.get(tabId);
const statuses = async (c: Controller, tabId: number) => (await state(c, tabId))?.report?.scts.map((s) => s.status);

describe('Chromium automatic: the issuer of a leaf given alone', () => {
  it('is fetched once from its caIssuers URL, then held: all valid, green, the note says so', async () => {
    const routes = await setRoute(ca.der);
    const api = await browser();
    const c = await start(api);
    await visit(c, 1, await leaf({ aiaPath: route }));
    expect(await statuses(c, 1)).toEqual(['valid', 'valid', 'valid']);
    const s = (await state(c, 1))!;
    expect(s.summary?.level).toBe('ok');
    expect(api.badges.get(1)?.text).toBe('✓');
    expect(s.report?.notes).toContain(
      `Chromium shows extensions the leaf alone: its issuer certificate was fetched from ${server.url}${route}, ` +
        'the caIssuers URL it names, and its signature on the leaf verifies.',
    );
    expect(routes.requests()).toEqual([route]);
    await visit(c, 2, await leaf({ aiaPath: route })); // another leaf of that CA: held now
    expect(await statuses(c, 2)).toEqual(['valid', 'valid', 'valid']);
    expect(routes.requests()).toEqual([route]);
    await c.issuers.flushed();
    const restarted = await start(api.restartKeepingSession()); // kept in storage.local
    await visit(restarted, 3, await leaf({ aiaPath: route }));
    expect(await statuses(restarted, 3)).toEqual(['valid', 'valid', 'valid']);
    expect((await state(restarted, 3))!.report?.notes.some((n) => n.includes('is one ctlens already held'))).toBe(true);
    expect(routes.requests()).toEqual([route]);
  });

  it('one seen in a chain checked before (the audit page) is used: no request', async () => {
    const routes = await setRoute(ca.der);
    const c = await start(await browser());
    const pem = [await leaf(), ca.der].map((der) => encodePem('CERTIFICATE', der, toBase64)).join('');
    await c.checkPastedChain(pem);
    await c.issuers.flushed();
    await visit(c, 1, await leaf({ aiaPath: route }));
    expect(await statuses(c, 1)).toEqual(['valid', 'valid', 'valid']);
    expect(routes.requests()).toEqual([]);
  });

  it('a damaged SCT is invalid, no SCTs is red with a warning, and a leaf without SCTs needs no issuer', async () => {
    const routes = await setRoute(ca.der);
    const api = await browser();
    const c = await start(api);
    await visit(c, 1, await leaf({ aiaPath: route, tamper: true }));
    expect(await statuses(c, 1)).toEqual(['valid', 'valid', 'invalid-signature']);
    expect((await state(c, 1))!.summary?.level).toBe('alert');
    await visit(c, 2, await leaf({ aiaPath: '/never.crt', scts: false }));
    expect((await state(c, 2))!.summary).toMatchObject({ level: 'alert', warning: 'no-scts' });
    expect(api.notifications.length).toBe(2);
    expect(routes.requests()).toEqual([route]);
  });

  it('not found: missing-issuer, grey, with the reason; a failed URL is not asked again for an hour', async () => {
    const routes = await setRoute(ca.der);
    const api = await browser();
    const c = await start(api);
    await visit(c, 1, await leaf({ aiaPath: '/missing.crt' }));
    expect(await statuses(c, 1)).toEqual(['missing-issuer', 'missing-issuer', 'missing-issuer']);
    const s = (await state(c, 1))!;
    expect(s.summary?.level).toBe('unknown');
    expect(api.notifications).toEqual([]);
    const note = s.report!.notes.find((n) =>
      n.startsWith('Chromium shows extensions the leaf alone, and its issuer was not found'),
    )!;
    expect(note).toContain(`${server.url}/missing.crt: HTTP 404`);
    expect(note).toContain('"Check this site" reads the whole chain through the debugger');
    await visit(c, 2, await leaf({ aiaPath: '/missing.crt' }));
    expect(routes.requests()).toEqual(['/missing.crt']);
    api.time += RETRY_FAILED_AFTER_MS + 1;
    await visit(c, 3, await leaf({ aiaPath: '/missing.crt' }));
    expect(routes.requests()).toEqual(['/missing.crt', '/missing.crt']);
  });

  it('turned off in the options: missing-issuer, and no request at all', async () => {
    const routes = await setRoute(ca.der);
    const c = await start(await browser({ fetchIssuers: false }));
    await visit(c, 1, await leaf({ aiaPath: route }));
    expect(await statuses(c, 1)).toEqual(['missing-issuer', 'missing-issuer', 'missing-issuer']);
    expect((await state(c, 1))!.report!.notes.join()).toContain('is off (turned off in the options)');
    expect(routes.requests()).toEqual([]);
  });

  it('a URL serving another certificate gives no issuer', async () => {
    const other = await createCa('another CA', 'P-256');
    const routes = await setRoute(other.der);
    const c = await start(await browser());
    await visit(c, 1, await leaf({ aiaPath: route }));
    expect(await statuses(c, 1)).toEqual(['missing-issuer', 'missing-issuer', 'missing-issuer']);
    expect((await state(c, 1))!.report!.notes.join()).toContain(
      `${server.url}${route}: the certificate it serves did not sign this certificate`,
    );
    expect(routes.requests()).toEqual([route]);
  });
});

describe('Chromium automatic: badge paints', () => {
  it(
    "a new host's response paints only its verdict: " + 'what comes before the commit is reset by the browser',
    async () => {
      await setRoute(ca.der);
      const api = await browser();
      const c = await start(api);
      await visit(c, 1, await leaf({ aiaPath: route }), 'https://new.example/');
      expect(api.painted.filter((p) => p.tabId === 1).map((p) => p.text)).toEqual(['✓']);
      await c.onNavigation(1, 'https://new.example/', false); // after the commit: painted again
      expect(api.painted.filter((p) => p.tabId === 1).map((p) => p.text)).toEqual(['✓', '✓']);
    },
  );
});

describe('Chromium automatic: revisits', () => {
  it('the same certificate of a host within 5 minutes is not checked again; another one, or later, is', async () => {
    await setRoute(ca.der);
    const api = await browser();
    const c = await start(api);
    const der = await leaf({ aiaPath: route });
    await visit(c, 1, der, 'https://same.example/');
    expect(c.metrics.checks).toBe(1);
    api.badges.clear();
    await visit(c, 1, der, 'https://same.example/again');
    expect(c.metrics.checks).toBe(1);
    // The response comes before the document commits, which resets the badge: the navigation event repaints it.
    expect(api.badges.get(1), 'nothing painted before the commit').toBeUndefined();
    await c.onNavigation(1, 'https://same.example/again', false);
    expect(api.badges.get(1)?.text).toBe('✓');
    await visit(c, 1, await leaf({ aiaPath: route }), 'https://same.example/');
    expect(c.metrics.checks).toBe(2);
    api.time += 5 * 60 * 1000 + 1;
    await visit(c, 1, der, 'https://same.example/');
    expect(c.metrics.checks).toBe(3);
  });
});

describe('Chromium automatic: the mode', () => {
  it('automatic with certificates, flag-off without, kept across a restart, unavailable if refused', async () => {
    const api = await browser();
    const c = await start(api);
    expect(await c.chromiumModeInfo()).toEqual({ mode: 'unknown', flag: 'chrome://flags/#web-request-security-info' });
    await c.onChromiumResponse({ tabId: 1, url: 'https://a.example/', frame: 'main_frame', info: undefined });
    expect((await c.chromiumModeInfo()).mode).toBe('flag-off');
    expect(await state(c, 1)).toBeUndefined(); // nothing checked: on demand
    await visit(c, 2, await leaf({ scts: false }));
    expect((await c.chromiumModeInfo()).mode).toBe('automatic');
    // Automatic stays automatic for the session: a response seen without its certificate then is
    // one an earlier run of the worker had the headers of (the flag changes only with a relaunch).
    await c.onChromiumResponse({ tabId: 3, url: 'https://c.example/', frame: 'main_frame', info: undefined });
    expect((await c.chromiumModeInfo()).mode).toBe('automatic');
    expect((await (await start(api.restartKeepingSession())).chromiumModeInfo()).mode).toBe('automatic');
    expect((await (await start(await browser(), { chromiumAutomatic: false })).chromiumModeInfo()).mode).toBe(
      'unavailable',
    );
  });

  it("an insecure response is the main frame's error; a sub frame joins the tab's frames", async () => {
    const c = await start(await browser());
    await c.onChromiumResponse({
      tabId: 1,
      url: 'https://broken.example/',
      frame: 'main_frame',
      info: { state: 'broken' },
    });
    expect(await state(c, 1)).toMatchObject({ phase: 'error', error: 'the connection is not secure (broken)' });
    await c.onChromiumResponse({
      tabId: 2,
      url: 'https://main.example/',
      frame: 'main_frame',
      info: { state: 'secure', certificates: [] },
    });
    expect(await state(c, 2)).toMatchObject({ phase: 'error', error: 'Chromium gave no certificate for this page' });
    await visit(c, 2, await leaf({ scts: false }), 'https://framed.example/', 'sub_frame');
    expect((await state(c, 2))!.frames).toEqual([expect.objectContaining({ host: 'framed.example', level: 'alert' })]);
  });
});

/** Serves `der` at the route and counts the requests from now on. */
async function setRoute(der: Uint8Array): Promise<{ requests: () => string[] }> {
  routes[route] = { body: der };
  const from = server.requests.length;
  return { requests: () => server.requests.slice(from) };
}
