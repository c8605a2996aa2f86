/**
 * The CLI's state files (the updated log list and its signature, the kept tree heads) are written
 * through exclusive, randomly named temporaries (src/cli/exclusive-write.ts): a symlink another
 * local user plants at the old predictable `<name>.tmp` is never followed, and no temporary is
 * left behind, even when the final rename fails.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedLogListPaths } from '../../src/cli/config.js';
import { FileHeadStore } from '../../src/cli/head-store.js';
import { updateLogList } from '../../src/cli/log-lists.js';
import { serve, type TestServer } from '../support/http-server.js';

const data = (name: string) => new Uint8Array(readFileSync(new URL(`../../src/loglist/data/${name}`, import.meta.url)));
const VICTIM_TEXT = 'a file the attacker wants overwritten\n';

let dir: string;
let victim: string;
let server: TestServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctlens-state-'));
  victim = join(dir, 'victim.txt');
  writeFileSync(victim, VICTIM_TEXT);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Symlinks at `<path>.tmp` pointing at the victim; returns their paths. */
function plant(...paths: string[]): string[] {
  return paths.map((path) => {
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(victim, `${path}.tmp`);
    return `${path}.tmp`;
  });
}

/** The planted links are still links to the victim, and the victim is untouched. */
function expectNotFollowed(links: readonly string[]): void {
  for (const link of links) {
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(victim);
  }
  expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
}

const serveSignedList = async () =>
  (server = await serve({
    '/l.json': { body: data('all_logs_list.v89.25.json') },
    '/l.sig': { body: data('all_logs_list.v89.25.sig') },
  }));

describe('ctlens loglist --update', () => {
  it('does not follow symlinks planted at the predictable temporary names, and leaves no temporary', async () => {
    const paths = storedLogListPaths(join(dir, 'config'));
    const links = plant(paths.json, paths.sig);
    await serveSignedList();
    await updateLogList(join(dir, 'config'), `${server!.url}/l.json`);
    expectNotFollowed(links);
    expect(lstatSync(paths.json).isFile()).toBe(true);
    expect(readFileSync(paths.json)).toEqual(Buffer.from(data('all_logs_list.v89.25.json')));
    expect(readFileSync(paths.sig)).toEqual(Buffer.from(data('all_logs_list.v89.25.sig')));
    expect(readdirSync(dirname(paths.json)).sort()).toEqual([
      'all_logs_list.json',
      'all_logs_list.json.tmp',
      'all_logs_list.sig',
      'all_logs_list.sig.tmp',
    ]);
  });

  it('a rename that fails leaves neither temporary behind', async () => {
    const paths = storedLogListPaths(join(dir, 'config'));
    mkdirSync(join(paths.sig, 'occupied'), { recursive: true }); // the signature's name is a non-empty directory
    await serveSignedList();
    const update = updateLogList(join(dir, 'config'), `${server!.url}/l.json`);
    await expect(update).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dirname(paths.json)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the tree-head store', () => {
  const logId = 'abc+/def=';
  const heads = [
    { treeSize: 3, timestamp: 1, rootHash: Buffer.alloc(32, 7).toString('base64'), signature: 'BBBB', seenAt: 2 },
  ];

  it('save does not follow a symlink at the predictable temporary name, and leaves no temporary', async () => {
    const state = join(dir, 'state');
    const file = join(state, 'tree-heads', 'abc-_def.json');
    const links = plant(file);
    const store = new FileHeadStore(state);
    await store.save(logId, heads);
    expectNotFollowed(links);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(await store.load(logId)).toEqual(heads);
    expect(readdirSync(dirname(file)).sort()).toEqual(['abc-_def.json', 'abc-_def.json.tmp']);
  });

  it('a rename that fails leaves no temporary behind', async () => {
    const state = join(dir, 'state');
    const file = join(state, 'tree-heads', 'abc-_def.json');
    mkdirSync(join(file, 'occupied'), { recursive: true });
    await expect(new FileHeadStore(state).save(logId, heads)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dirname(file))).toEqual(['abc-_def.json']);
  });
});
