/** Log lists: the bundled signed snapshots, the registry, states and operators over time, updates. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledLogLists, loadSignedLogList } from '../../src/loglist/bundled.js';
import { operatorAt, stateAt } from '../../src/loglist/log-state.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { defaultLists, updateLogList } from '../../src/cli/log-lists.js';
import { storedLogListPaths } from '../../src/cli/config.js';
import { serve, type TestServer } from '../support/http-server.js';

const data = (name: string) => new Uint8Array(readFileSync(new URL(`../../src/loglist/data/${name}`, import.meta.url)));

describe('bundled lists', () => {
  it('both signatures verify and the newest comes first', async () => {
    const [newest, older] = await bundledLogLists();
    expect(newest!.list.version).toBe('89.25');
    expect(newest!.list.logs).toHaveLength(117);
    expect(older!.list.version).toBe('83.1');
    expect(older!.list.logs).toHaveLength(247);
    expect(newest!.list.skipped).toEqual([]);
    expect(older!.list.skipped).toEqual([]);
  });

  it('the registry keeps the newest entry and adds the retired logs only the older list has', async () => {
    const registry = new LogRegistry(await bundledLogLists());
    expect(registry.listTimestamp).toBe(Date.parse('2026-08-20T13:34:57Z'));
    const pilot = [...registry.all()].find((l) => l.description === "Google 'Pilot' log");
    expect(pilot?.source).toBe('Google log list v83.1 (bundled)');
    const argon2026h2 = [...registry.all()].find((l) => l.description === "Google 'Argon2026h2' log");
    expect(argon2026h2).toMatchObject({
      source: 'Google log list v89.25 (bundled)',
      type: 'rfc6962',
      state: { name: 'usable' },
    });
    expect([...registry.all()].filter((l) => l.type === 'tiled').length).toBeGreaterThan(50);
  });

  it('a changed byte makes a signed list unusable', async () => {
    const json = data('all_logs_list.v89.25.json');
    json[json.length - 10]! ^= 1;
    await expect(loadSignedLogList(json, data('all_logs_list.v89.25.sig'), 'test')).rejects.toThrow(
      /signature does not verify/,
    );
  });

  it("one list's signature does not vouch for another list", async () => {
    await expect(
      loadSignedLogList(data('all_logs_list.v83.1.json'), data('all_logs_list.v89.25.sig'), 'test'),
    ).rejects.toThrow(/signature does not verify/);
  });
});

describe('states and operators over time', () => {
  const list = parseLogList(
    JSON.stringify({
      version: '1',
      log_list_timestamp: '2026-01-01T00:00:00Z',
      operators: [
        { name: 'Empty Operator', email: [], logs: [] },
        {
          name: 'New Owner',
          logs: [
            {
              description: 'moved log',
              log_id: '3xwuwRUAlFJHqWFoMl3cXHlZ6PfG04j8AC4LvT9012Q=',
              key:
                'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmXg8sUUzwBYaWrRb+V0IopzQ6o3UyEJ04r5Z' +
                'rRXGdpYM8K+hB0pXrGRLI0eeWz+3skXrS0IO83AhA3GpRL6s6w==',
              url: 'https://example.test/',
              mmd: 86400,
              state: { retired: { timestamp: '2025-06-01T00:00:00Z' } },
              previous_operators: [
                { name: 'Second Owner', end_time: '2024-01-01T00:00:00Z' },
                { name: 'First Owner', end_time: '2023-01-01T00:00:00Z' },
              ],
            },
          ],
        },
      ],
    }),
    'test',
  );

  it('parses and sorts previous operators', () => {
    expect(list.skipped).toEqual([]);
    expect(list.operatorCount).toBe(2);
    const log = list.logs[0]!;
    expect(operatorAt(log, Date.UTC(2022, 5))).toBe('First Owner');
    expect(operatorAt(log, Date.UTC(2023, 5))).toBe('Second Owner');
    expect(operatorAt(log, Date.UTC(2024, 0, 1))).toBe('New Owner');
  });

  it('infers the state before the recorded one from the log lifecycle', () => {
    const log = list.logs[0]!;
    expect(stateAt(log, Date.UTC(2025, 5, 1))).toBe('retired');
    expect(stateAt(log, Date.UTC(2025, 4, 31))).toBe('usable');
    const at = (name: string): LogInfo => ({ ...log, state: { name: name as never, since: Date.UTC(2025, 0, 1) } });
    expect(stateAt(at('usable'), 0)).toBe('qualified');
    expect(stateAt(at('qualified'), 0)).toBe('pending');
    expect(stateAt(at('readonly'), 0)).toBe('usable');
    expect(stateAt(at('rejected'), 0)).toBeUndefined();
    expect(stateAt({ ...log, state: undefined }, 0)).toBeUndefined();
  });
});

describe('ctlens loglist --update', () => {
  let server: TestServer;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctlens-config-'));
  });
  afterEach(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches, verifies and stores the signed list, which later runs use', async () => {
    server = await serve({
      '/v3/all_logs_list.json': { body: data('all_logs_list.v89.25.json') },
      '/v3/all_logs_list.sig': { body: data('all_logs_list.v89.25.sig') },
    });
    const fetched = await updateLogList(dir, `${server.url}/v3/all_logs_list.json`);
    expect(fetched.list.version).toBe('89.25');
    expect(server.requests.sort()).toEqual(['/v3/all_logs_list.json', '/v3/all_logs_list.sig']);
    const paths = storedLogListPaths(dir);
    expect(readFileSync(paths.json)).toEqual(Buffer.from(data('all_logs_list.v89.25.json')));
    expect(readFileSync(paths.sig)).toEqual(Buffer.from(data('all_logs_list.v89.25.sig')));
  });

  it('refuses a list whose signature does not verify, and stores nothing', async () => {
    const json = data('all_logs_list.v89.25.json');
    json[100]! ^= 1;
    server = await serve({ '/l.json': { body: json }, '/l.sig': { body: data('all_logs_list.v89.25.sig') } });
    await expect(updateLogList(dir, `${server.url}/l.json`)).rejects.toThrow(
      /refused: log list signature does not verify/,
    );
    expect(() => readFileSync(storedLogListPaths(dir).json)).toThrow();
  });

  it('refuses a rollback to an older signed list', async () => {
    server = await serve({
      '/l.json': { body: data('all_logs_list.v83.1.json') },
      '/l.sig': { body: data('all_logs_list.v83.1.sig') },
    });
    await expect(updateLogList(dir, `${server.url}/l.json`)).rejects.toThrow(
      /refused: version 83.1 \(2026-01-29T12:53:20.000Z\) is older than the list in use/,
    );
  });

  it('names the HTTP failure', async () => {
    server = await serve({});
    await expect(updateLogList(dir, `${server.url}/missing.json`)).rejects.toThrow(/missing.json: HTTP 404/);
  });

  it('names an unreachable server', async () => {
    const closed = await serve({});
    await closed.close();
    await expect(updateLogList(dir, `${closed.url}/l.json`)).rejects.toThrow(/fetch failed: ECONNREFUSED/);
  });

  it('ignores a stored list that was tampered with, and says so', async () => {
    const paths = storedLogListPaths(dir);
    mkdirSync(join(dir, 'log-list'), { recursive: true });
    const json = data('all_logs_list.v89.25.json');
    json[200]! ^= 1;
    writeFileSync(paths.json, json);
    writeFileSync(paths.sig, data('all_logs_list.v89.25.sig'));
    const warnings: string[] = [];
    const lists = await defaultLists(dir, (w) => warnings.push(w));
    expect(lists.map((l) => l.list.version)).toEqual(['89.25', '83.1']);
    expect(warnings).toEqual([expect.stringMatching(/ignoring the stored log list .*signature does not verify/)]);
  });
});
