/**
 * A signed log list that holds a mimic log is refused as an update (src/loglist/fetch.ts), from a
 * real loopback server, with lists signed here by an RSA key the test holds in place of Google's:
 * the signature verifies, then the mimic rule refuses. The extension keeps its list, records why
 * and notifies once per refused list, not on every retry.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import { UPDATE_INTERVAL_MS } from '../../background/log-lists.js';
import { storedLogListPaths } from '../../src/cli/config.js';
import { InputError } from '../../src/cli/errors.js';
import { updateLogList } from '../../src/cli/log-lists.js';
import { sha256, toBase64, toHex } from '../../src/bytes.js';
import { fetchSignedLogList, LogListFetchError, MimicLogListError } from '../../src/loglist/fetch.js';
import { serve, type Route, type TestServer } from '../support/http-server.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { mimicTestLog, PUBLISHED_MIMIC_IDS } from '../support/mimic-logs.js';
import { createTestLog, logListJson, type LogListEntry, type TestLog } from '../support/test-pki.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ordinary = createTestLog('Ordinary log');

/** A v3 list newer than the bundled 89.25, signed (RSASSA-PKCS1-v1_5, SHA-256) with the test's key. */
function signedList(version: string, logs: readonly TestLog[]): { json: Uint8Array; sig: Uint8Array } {
  const entry = (log: TestLog): LogListEntry => ({
    log,
    state: 'usable',
    stateSince: Date.UTC(2025, 0, 1),
    type: 'rfc6962',
  });
  const text = logListJson({
    version,
    timestamp: Date.UTC(2026, 8, 1),
    operators: [{ name: 'Google', logs: logs.map(entry) }],
  });
  const json = new TextEncoder().encode(text);
  return { json, sig: new Uint8Array(sign('sha256', json, privateKey)) };
}

const MIMIC_LIST = signedList('90.1', [ordinary, mimicTestLog('mimic1'), mimicTestLog('mimic2')]);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `list` at /l.json and /l.sig; the routes can be changed later (serve reads them per request). */
async function serveList(list: { json: Uint8Array; sig: Uint8Array }): Promise<Record<string, Route>> {
  const routes: Record<string, Route> = {};
  setList(routes, list);
  server = await serve(routes);
  return routes;
}
function setList(routes: Record<string, Route>, list: { json: Uint8Array; sig: Uint8Array }): void {
  routes['/l.json'] = { body: list.json };
  routes['/l.sig'] = { body: list.sig };
}

describe('fetchSignedLogList and mimic logs', () => {
  it('accepts a list the key signed without mimics (the key the test gives is the one checked)', async () => {
    await serveList(signedList('90.0', [ordinary]));
    const fetched = await fetchSignedLogList(`${server!.url}/l.json`, undefined, KEY_PEM);
    expect(fetched.list.version).toBe('90.0');
  });

  it('refuses a signed list holding mimics, naming each; says which list by version and SHA-256', async () => {
    await serveList(MIMIC_LIST);
    const url = `${server!.url}/l.json`;
    const refusal = await fetchSignedLogList(url, undefined, KEY_PEM).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MimicLogListError);
    expect(refusal).toBeInstanceOf(LogListFetchError);
    const { message, version, sha256: digest } = refusal as MimicLogListError;
    const start = `${url}: refused: version 90.1 lists mimic logs, whose private keys are public`;
    expect(message.startsWith(start), message).toBe(true);
    expect(message).toContain(`Google mimic log mimic1 (log id ${PUBLISHED_MIMIC_IDS.mimic1}, Google's mimic1)`);
    expect(message).toContain(`(log id ${PUBLISHED_MIMIC_IDS.mimic2}, Google's mimic2)`);
    expect(version).toBe('90.1');
    expect(digest).toBe(toHex(sha256(MIMIC_LIST.json)));
  });
});

describe("the extension's update refuses a list with mimics", () => {
  const controllerFor = (api: MemoryBrowser) =>
    new Controller(api, { logListUrl: `${server!.url}/l.json`, logListKeyPem: KEY_PEM });

  it('keeps its list, records why, notifies once across the daily retries; a new such list once more', async () => {
    const routes = await serveList(MIMIC_LIST);
    const api = new MemoryBrowser();
    const controller = controllerFor(api);
    await controller.updateLogListIfDue();
    let info = await controller.logListInfo();
    expect(info.lastUpdateError).toMatch(/refused: version 90\.1 lists mimic logs/);
    expect(info.lastUpdate).toBeNull();
    expect(info.sources.map((s) => s.version)).toEqual(['89.25', '83.1']);
    expect(api.local.data.has('fetchedLogList')).toBe(false);
    expect(api.notifications).toHaveLength(1);
    expect(api.notifications[0]!.message).toMatch(/version 90\.1.*mimic logs.*private keys are public/);

    // Still due: retried the next day, and on "update now", with the same list: nothing more shown.
    api.time += UPDATE_INTERVAL_MS;
    expect(await controller.logLists.updateDue()).toBe(true);
    await controller.updateLogListIfDue();
    await controller.handle({ type: 'update-log-list' });
    expect(server!.requests.filter((r) => r === '/l.json')).toHaveLength(3);
    expect(api.notifications).toHaveLength(1);

    setList(routes, signedList('90.2', [mimicTestLog('mimic2')]));
    api.time += UPDATE_INTERVAL_MS;
    await controller.updateLogListIfDue();
    expect(api.notifications).toHaveLength(2);
    expect(api.notifications[1]!.message).toMatch(/version 90\.2/);

    setList(routes, signedList('90.3', [ordinary]));
    api.time += UPDATE_INTERVAL_MS;
    await controller.updateLogListIfDue();
    info = await controller.logListInfo();
    expect(info.lastUpdateError).toBeNull();
    expect(info.sources.map((s) => s.version)).toEqual(['90.3', '89.25', '83.1']);
    expect(api.notifications).toHaveLength(2);
  });

  it('a list with mimics kept from before this rule is dropped at load; one without is used', async () => {
    await serveList(MIMIC_LIST);
    for (const [list, versions] of [
      [MIMIC_LIST, ['89.25', '83.1']],
      [signedList('90.3', [ordinary]), ['90.3', '89.25', '83.1']],
    ] as const) {
      const api = new MemoryBrowser();
      await api.local.set('fetchedLogList', { json: toBase64(list.json), sig: toBase64(list.sig), fetchedAt: 0 });
      const info = await controllerFor(api).logListInfo();
      expect(info.sources.map((s) => s.version)).toEqual(versions);
      expect(api.local.data.has('fetchedLogList')).toBe(versions.length === 3);
    }
  });
});

describe('ctlens loglist --update refuses a list with mimics', () => {
  it('an InputError (one line on stderr, exit 2) naming the mimics; the stored list stays as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctlens-mimic-update-'));
    try {
      const clean = signedList('90.0', [ordinary]);
      const routes = await serveList(clean);
      const url = `${server!.url}/l.json`;
      expect((await updateLogList(dir, url, () => {}, KEY_PEM)).list.version).toBe('90.0');
      const paths = storedLogListPaths(dir);
      setList(routes, MIMIC_LIST);
      const refusal = await updateLogList(dir, url, () => {}, KEY_PEM).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(InputError);
      const said = /refused: version 90\.1 lists mimic logs, whose private keys are public/;
      expect((refusal as Error).message).toMatch(said);
      expect((refusal as Error).message).not.toContain('\n');
      expect(Buffer.from(readFileSync(paths.json)).equals(Buffer.from(clean.json))).toBe(true);
      expect(Buffer.from(readFileSync(paths.sig)).equals(Buffer.from(clean.sig))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
