/**
 * The worker's state handling, driven through Controller with an in-memory browser: per-tab
 * state across worker restarts and navigation, badges, warnings, the verdict cache, settings,
 * extra logs and their freshness. Chains come from the test PKI, so every verdict is computed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { FirefoxSecurityInfo } from '../../background/firefox-chain.js';
import type { TabState } from '../../background/messages.js';
import { normalizeSettings } from '../../background/settings.js';
import {
  createTestCa,
  createTestLog,
  issueWithEmbeddedScts,
  logListJson,
  type TestCa,
  type TestLog,
} from '../support/test-pki.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 2, 12);
let ca: TestCa;
let logs: TestLog[];
let compliant: Uint8Array;
let noScts: Uint8Array;
let listJson: string;

beforeAll(async () => {
  ca = await createTestCa('ctlens worker test CA');
  logs = [createTestLog('W1'), createTestLog('W2'), createTestLog('V1')];
  const issued = NOW - DAY;
  compliant = (
    await issueWithEmbeddedScts(ca, {
      notBefore: issued,
      notAfter: issued + 90 * DAY,
      logs: logs.map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1) })),
    })
  ).der;
  noScts = (await issueWithEmbeddedScts(ca, { notBefore: issued, notAfter: issued + 90 * DAY, logs: [] })).der;
  const usable = (log: TestLog) => ({
    log,
    state: 'usable' as const,
    stateSince: Date.UTC(2025, 0, 1),
    type: 'rfc6962' as const,
  });
  listJson = logListJson({
    timestamp: NOW - DAY,
    operators: [
      { name: 'Op W', logs: [usable(logs[0]!), usable(logs[1]!)] },
      { name: 'Op V', logs: [usable(logs[2]!)] },
    ],
  });
});

/** What Firefox's getSecurityInfo returns for a chain to a root that is, or is not, built in. */
const securityInfo = (leaf: Uint8Array, builtInRoot = false): FirefoxSecurityInfo => ({
  state: 'secure',
  certificateTransparencyStatus: 'not_applicable',
  certificates: [{ rawDER: Array.from(leaf) }, { rawDER: Array.from(ca.der), isBuiltInRoot: builtInRoot }],
});

async function setup(settings: Record<string, unknown> = {}) {
  const api = new MemoryBrowser();
  api.time = NOW;
  const controller = new Controller(api);
  await controller.setSettings({ extraLogList: listJson, checkPrivateRoots: true, ...settings });
  return { api, controller };
}

const visit = (controller: Controller, tabId: number, url: string, leaf: Uint8Array, builtInRoot = false) =>
  controller.onFirefoxResponse({ tabId, url, frame: 'main_frame', info: securityInfo(leaf, builtInRoot) });

describe('a Firefox visit', () => {
  it('a compliant chain: state done, green badge, no warning', async () => {
    const { api, controller } = await setup();
    await visit(controller, 7, 'https://good.example/page', compliant);
    const state = (await controller.tabs.get(7))!;
    expect(state).toMatchObject({ phase: 'done', host: 'good.example', summary: { level: 'ok' } });
    expect(state.report!.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'valid']);
    expect(api.badges.get(7)).toMatchObject({
      text: '✓',
      color: '#1a7f37',
      title: expect.stringContaining('Publicly logged: 3 valid SCTs'),
    });
    expect(api.notifications).toEqual([]);
  });

  it('no SCTs: red badge and one notification per host and certificate', async () => {
    const { api, controller } = await setup();
    await visit(controller, 1, 'https://bare.example/', noScts);
    expect(api.badges.get(1)).toMatchObject({
      text: '!',
      color: '#cf222e',
      title: 'ctlens: This certificate has no SCTs: it was not publicly logged',
    });
    expect(api.notifications).toHaveLength(1);
    expect(api.notifications[0]).toMatchObject({ title: 'ctlens: bare.example has no Certificate Transparency SCTs' });
    await visit(controller, 2, 'https://bare.example/other', noScts); // same host and certificate
    expect(api.notifications).toHaveLength(1);
    await visit(controller, 3, 'https://bare-too.example/', noScts); // another host
    expect(api.notifications).toHaveLength(2);
  });

  it('no notification for an excepted host or with warnings off; the badge stays red', async () => {
    const a = await setup({ exceptions: ['Bare.Example'] });
    await visit(a.controller, 1, 'https://bare.example/', noScts);
    expect(a.api.notifications).toEqual([]);
    expect(a.api.badges.get(1)?.text).toBe('!');
    const b = await setup({ warnings: false });
    await visit(b.controller, 1, 'https://bare.example/', noScts);
    expect(b.api.notifications).toEqual([]);
    const c = await setup();
    await c.controller.handle({ type: 'dont-warn-host', host: 'bare.example' });
    await visit(c.controller, 1, 'https://bare.example/', noScts);
    expect(c.api.notifications).toEqual([]);
  });

  it('a private root is not-applicable and grey unless "check private roots" is on', async () => {
    const { api, controller } = await setup({ checkPrivateRoots: false });
    await visit(controller, 4, 'https://intranet.example/', noScts);
    expect((await controller.tabs.get(4))!.report!.policies.chrome.verdict).toBe('not-applicable');
    expect(api.badges.get(4)).toMatchObject({ text: '?', color: '#6e7781' });
    expect(api.notifications).toEqual([]);
  });

  it('a built-in root is checked whatever the private-roots switch says', async () => {
    const { controller } = await setup({ checkPrivateRoots: false });
    await visit(controller, 4, 'https://public.example/', compliant, true);
    expect((await controller.tabs.get(4))!.summary!.level).toBe('ok');
  });

  it('a connection Firefox did not trust is an error, not a verdict', async () => {
    const { api, controller } = await setup();
    await controller.onFirefoxResponse({
      tabId: 5,
      url: 'https://broken.example/',
      frame: 'main_frame',
      info: { state: 'broken', errorMessage: 'SEC_ERROR_UNKNOWN_ISSUER' },
    });
    expect(await controller.tabs.get(5)).toMatchObject({
      phase: 'error',
      error: 'the connection is not secure (broken: SEC_ERROR_UNKNOWN_ISSUER)',
    });
    expect(api.badges.get(5)?.text).toBe('?');
  });

  it('a garbage certificate is an error naming the problem, and the worker carries on', async () => {
    const { controller } = await setup();
    await visit(controller, 6, 'https://garbage.example/', Uint8Array.of(0x30, 0x03, 1, 2));
    expect(await controller.tabs.get(6)).toMatchObject({
      phase: 'error',
      error: expect.stringContaining('certificate is not valid DER'),
    });
    await visit(controller, 6, 'https://good.example/', compliant);
    expect((await controller.tabs.get(6))!.phase).toBe('done');
  });

  it('Firefox compliant with no SCTs visible: grey, saying the SCTs came by TLS or OCSP', async () => {
    const { api, controller } = await setup();
    await controller.onFirefoxResponse({
      tabId: 8,
      url: 'https://tls-scts.example/',
      frame: 'main_frame',
      info: { ...securityInfo(noScts), certificateTransparencyStatus: 'policy_compliant' },
    });
    expect(api.badges.get(8)).toMatchObject({
      text: '?',
      title: expect.stringContaining('came by TLS or OCSP, which extensions cannot see'),
    });
    expect(api.notifications).toEqual([]);
  });

  it('a sub-frame from another site is recorded beside the main frame, not in place of it', async () => {
    const { controller } = await setup();
    await visit(controller, 9, 'https://good.example/', compliant);
    await controller.onFirefoxResponse({
      tabId: 9,
      url: 'https://widget.example/frame',
      frame: 'sub_frame',
      info: securityInfo(noScts),
    });
    const state = (await controller.tabs.get(9))!;
    expect(state.host).toBe('good.example');
    expect(state.summary!.level).toBe('ok');
    expect(state.frames).toEqual([
      { host: 'widget.example', level: 'alert', title: expect.stringContaining('no SCTs') },
    ]);
  });
});

describe('per-tab state', () => {
  it('survives the worker being stopped and restarted (storage.session)', async () => {
    const { api, controller } = await setup();
    await visit(controller, 3, 'https://good.example/', compliant);
    const restarted = new Controller(api.restartKeepingSession());
    const state = (await restarted.handle({ type: 'get-tab-state', tabId: 3 })) as TabState;
    expect(state).toMatchObject({ phase: 'done', host: 'good.example', summary: { level: 'ok' } });
  });

  it('resets when the tab goes to another site, keeps it on the same site', async () => {
    const { api, controller } = await setup();
    await visit(controller, 3, 'https://good.example/', compliant);
    await controller.onNavigation(3, 'https://good.example/next', true);
    expect((await controller.tabs.get(3))!.phase).toBe('done');
    await controller.onNavigation(3, 'https://elsewhere.example/', true);
    const moved = (await controller.tabs.get(3))!;
    expect(moved).toMatchObject({ phase: 'checking', host: 'elsewhere.example' });
    expect(moved.report).toBeUndefined();
    await controller.onNavigation(3, 'http://plain.example/', true);
    expect(await controller.tabs.get(3)).toMatchObject({ phase: 'insecure', host: 'plain.example' });
    expect(api.badges.get(3)).toMatchObject({ text: '', title: 'ctlens: not HTTPS, no certificate to check' });
  });

  it('a late verdict for a site the tab has left is dropped', async () => {
    const { controller } = await setup();
    const late = visit(controller, 3, 'https://slow.example/', compliant);
    await controller.onNavigation(3, 'https://fast.example/', true);
    await late;
    expect(await controller.tabs.get(3)).toMatchObject({ host: 'fast.example', phase: 'checking' });
  });

  it('a closed tab forgets its state', async () => {
    const { controller } = await setup();
    await visit(controller, 3, 'https://good.example/', compliant);
    await controller.onTabRemoved(3);
    expect(await controller.handle({ type: 'get-tab-state', tabId: 3 })).toBeNull();
  });
});

describe('when a Firefox response is held for its certificate', () => {
  it('the first response from a host in a tab, not the next ones; again after another site or 5 minutes', async () => {
    const { api, controller } = await setup();
    expect(controller.mustHold(1, 'https://good.example/', 'main_frame')).toBe(true);
    await visit(controller, 1, 'https://good.example/', compliant);
    expect(controller.mustHold(1, 'https://good.example/next', 'main_frame')).toBe(false);
    expect(controller.mustHold(2, 'https://good.example/', 'main_frame')).toBe(true); // another tab
    expect(controller.mustHold(1, 'https://other.example/', 'main_frame')).toBe(true);
    expect(controller.mustHold(1, 'https://widget.example/', 'sub_frame')).toBe(true);
    api.time += 5 * 60_000 + 1;
    expect(controller.mustHold(1, 'https://good.example/next', 'main_frame')).toBe(true);
  });

  it('after an error, and after a worker restart until its stored tab states are read, always', async () => {
    const { api, controller } = await setup();
    await controller.onFirefoxResponse({
      tabId: 5,
      url: 'https://broken.example/',
      frame: 'main_frame',
      info: { state: 'broken' },
    });
    expect(controller.mustHold(5, 'https://broken.example/', 'main_frame')).toBe(true);
    await visit(controller, 1, 'https://good.example/', compliant);
    expect(new Controller(api.restartKeepingSession()).mustHold(1, 'https://good.example/', 'main_frame')).toBe(true);
  });

  it('a same-host navigation repaints the badge the browser reset', async () => {
    const { api, controller } = await setup();
    await visit(controller, 1, 'https://good.example/', compliant);
    api.badges.delete(1);
    await controller.onNavigation(1, 'https://good.example/next', true);
    expect(api.badges.get(1)?.text).toBe('✓');
  });
});

describe('verdict cache', () => {
  it('a revisit reuses the verdict; an hour later it is computed again', async () => {
    const { api, controller } = await setup();
    await visit(controller, 1, 'https://good.example/', compliant);
    const first = (await controller.tabs.get(1))!.report!;
    api.time += 60_000;
    await visit(controller, 2, 'https://good.example/', compliant);
    expect((await controller.tabs.get(2))!.report!.evaluatedAt).toBe(first.evaluatedAt);
    api.time += 60 * 60_000;
    await visit(controller, 3, 'https://good.example/', compliant);
    expect((await controller.tabs.get(3))!.report!.evaluatedAt).not.toBe(first.evaluatedAt);
  });

  it('a change of extra logs is never answered from the cache', async () => {
    const { controller } = await setup();
    await visit(controller, 1, 'https://good.example/', compliant);
    await controller.setSettings({ extraLogList: null });
    await visit(controller, 2, 'https://good.example/', compliant);
    expect((await controller.tabs.get(2))!.report!.scts.map((s) => s.status)).toEqual([
      'unknown-log',
      'unknown-log',
      'unknown-log',
    ]);
  });
});

describe('settings and extra logs', () => {
  it('normalizes stored values, never trusting their types', () => {
    expect(
      normalizeSettings({
        warnings: 'yes',
        badgePolicy: 'opera',
        exceptions: ['A.example ', 3],
        extraLogKeys: [null, 'k'],
        witnessPolicy: 7,
      }),
    ).toEqual({
      warnings: true,
      exceptions: ['a.example'],
      badgePolicy: 'chrome',
      checkPrivateRoots: false,
      extraLogList: null,
      extraLogKeys: ['k'],
      autoUpdateLogList: true,
      autoInclusion: false,
      fetchIssuers: true,
      witnessPolicy: null,
    });
  });

  it('bad extra logs are reported, and the rest still works', async () => {
    const { controller } = await setup({
      extraLogKeys: ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'no pem here'],
    });
    const info = await controller.logListInfo();
    expect(info.extraLogProblems).toEqual([
      expect.stringMatching(/^extra log key #1: SubjectPublicKeyInfo/),
      'extra log key #2: no PUBLIC KEY block',
    ]);
    await visit(controller, 1, 'https://good.example/', compliant);
    expect((await controller.tabs.get(1))!.summary!.level).toBe('ok');
  });

  it('a fresh extra list vouches for its own logs, never for the stale bundled Google list', async () => {
    // 2026-11-21: the bundled Google list (2026-08-20) is 93 days old; the extra list is a day old.
    const later = Date.UTC(2026, 10, 21, 12);
    const usable = (log: TestLog) => ({
      log,
      state: 'usable' as const,
      stateSince: Date.UTC(2025, 0, 1),
      type: 'rfc6962' as const,
    });
    const freshList = logListJson({
      timestamp: later - DAY,
      operators: [
        { name: 'Op W', logs: [usable(logs[0]!), usable(logs[1]!)] },
        { name: 'Op V', logs: [usable(logs[2]!)] },
      ],
    });
    const { api, controller } = await setup({ extraLogList: freshList });
    api.time = later;
    const info = await controller.logListInfo();
    expect(info.sources.map((s) => s.source)).toEqual([
      'extra log list v1.0 (options)',
      'Google log list v89.25 (bundled)',
      'Google log list v83.1 (bundled)',
    ]);
    expect(info.stale).toBe(true); // the primary (Google) list is what the popup reports
    // Compliant through the test logs of the fresh extra list: that list is all the verdict relies on.
    await visit(controller, 1, 'https://good.example/', compliant);
    expect((await controller.tabs.get(1))!.report!.policies.chrome.verdict).toBe('compliant');
    // A real chain whose logs are Google's is judged with the stale Google list: unknown.
    const audit = await controller.checkPastedChain(await realChainPem());
    expect('report' in audit && audit.report.policies.chrome).toMatchObject({
      verdict: 'unknown',
      wouldBe: 'not-compliant',
      reasons: expect.arrayContaining([expect.stringMatching(/the log list is 9\d days old/)]),
    });
    // And a chain with no SCTs at all is unknown too: a fresh Google list might know more.
    await visit(controller, 2, 'https://bare.example/', noScts);
    expect((await controller.tabs.get(2))!.report!.policies.chrome.verdict).toBe('unknown');
  });

  it('the audit page refuses what is not a PEM chain, saying so', async () => {
    const { controller } = await setup();
    const audit = (pem: string) => controller.reply({ type: 'check-pasted-chain', pem });
    expect(await audit('hello')).toEqual({
      ok: false,
      error: 'paste a PEM certificate chain: -----BEGIN CERTIFICATE----- …, leaf first',
    });
    expect(await audit('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----')).toEqual({
      ok: false,
      error: 'Certificate has 0 fields, expected 3',
    });
  });
});

async function realChainPem(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const { fixturePath } = await import('../support/fixtures.js');
  return (
    readFileSync(fixturePath('real/google-mail-leaf.pem'), 'utf8') +
    readFileSync(fixturePath('real/google-mail-issuer.pem'), 'utf8')
  );
}
