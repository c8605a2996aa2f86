/** The extension's daily log list update: fetched from a real loopback server, verified, kept, used. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import { UPDATE_INTERVAL_MS } from '../../background/log-lists.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { serve, type TestServer } from '../support/http-server.js';

const data = (name: string) => new Uint8Array(readFileSync(new URL(`../../src/loglist/data/${name}`, import.meta.url)));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('log list update', () => {
  it('is due at first, stores a verified list, is not due again for a day', async () => {
    server = await serve({
      '/all_logs_list.json': { body: data('all_logs_list.v89.25.json') },
      '/all_logs_list.sig': { body: data('all_logs_list.v89.25.sig') },
    });
    const api = new MemoryBrowser();
    const controller = new Controller(api, { logListUrl: `${server.url}/all_logs_list.json` });
    expect(await controller.logLists.updateDue()).toBe(true);
    await controller.updateLogListIfDue();
    expect(server.requests.sort()).toEqual(['/all_logs_list.json', '/all_logs_list.sig']);
    expect(api.local.data.has('fetchedLogList')).toBe(true);
    const info = await controller.logListInfo();
    expect(info).toMatchObject({ lastUpdate: new Date(api.time).toISOString(), lastUpdateError: null });
    expect(await controller.logLists.updateDue()).toBe(false);
    api.time += UPDATE_INTERVAL_MS;
    expect(await controller.logLists.updateDue()).toBe(true);
  });

  it('never when the user turned it off', async () => {
    const api = new MemoryBrowser();
    const controller = new Controller(api, { logListUrl: 'http://127.0.0.1:1/unused.json' });
    await controller.setSettings({ autoUpdateLogList: false });
    expect(await controller.logLists.updateDue()).toBe(false);
  });

  it('refuses a list whose signature fails, records why, keeps using the bundled list', async () => {
    const json = data('all_logs_list.v89.25.json');
    json[500]! ^= 1;
    server = await serve({ '/l.json': { body: json }, '/l.sig': { body: data('all_logs_list.v89.25.sig') } });
    const api = new MemoryBrowser();
    const controller = new Controller(api, { logListUrl: `${server.url}/l.json` });
    const info = (await controller.handle({ type: 'update-log-list' })) as Awaited<
      ReturnType<Controller['logListInfo']>
    >;
    expect(info.lastUpdateError).toMatch(/refused: log list signature does not verify/);
    expect(info.sources.map((s) => s.version)).toEqual(['89.25', '83.1']);
    expect(api.local.data.has('fetchedLogList')).toBe(false);
  });

  it('a stored list damaged later is dropped at load, falling back to the bundled list', async () => {
    const api = new MemoryBrowser();
    await api.local.set('fetchedLogList', { json: 'AAAA', sig: 'AAAA', fetchedAt: 0 });
    const controller = new Controller(api);
    expect((await controller.logListInfo()).sources.map((s) => s.version)).toEqual(['89.25', '83.1']);
    expect(api.local.data.has('fetchedLogList')).toBe(false);
  });
});
