/**
 * TabStates when storage reads and writes overlap, as they do in a worker the browser has just
 * restarted: its mirror is empty, so the first read of a tab goes to storage.session while the
 * page's other events (tabs.onUpdated, webRequest) write the tab's new state. A read that was
 * issued before a write must not put the older stored state back (seen in Chromium: a restarted
 * worker's verdict for the next page was replaced by the previous page's, in memory only).
 */
import { describe, expect, it } from 'vitest';
import type { TabState } from '../../background/messages.js';
import { TabStates } from '../../background/tab-state.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const state = (host: string, phase: TabState['phase']): TabState => ({
  tabId: 1,
  url: `https://${host}/`,
  host,
  phase,
  ...(phase === 'done' ? { summary: { level: 'ok' as const, title: `${host} checked` } } : {}),
  updatedAt: 0,
});

/** A browser whose session storage holds tab 1's state from the worker's previous run. */
async function restartedWithOldState(): Promise<{ api: MemoryBrowser; tabs: TabStates }> {
  const api = new MemoryBrowser();
  await new TabStates(api).set(state('old.example', 'done'));
  const restarted = api.restartKeepingSession();
  return { api: restarted, tabs: new TabStates(restarted) };
}

/** The first storage.session read answers after the others (a browser's storage answers in its own time). */
function slowFirstRead(api: MemoryBrowser): void {
  const get = api.session.get.bind(api.session);
  let calls = 0;
  api.session.get = async <T>(key: string): Promise<T | undefined> => {
    const value = await get<T>(key);
    if (calls++ === 0) await new Promise((r) => setTimeout(r, 5));
    return value;
  };
}

describe('a storage read in flight does not undo a newer write', () => {
  it('get() issued before set(): the new state stays, in memory and in storage', async () => {
    const { api, tabs } = await restartedWithOldState();
    const read = tabs.get(1); // reads storage.session: the old state
    await tabs.set(state('new.example', 'done'));
    await read;
    expect(tabs.peek(1)?.host).toBe('new.example');
    expect((await tabs.get(1))?.host).toBe('new.example');
    expect((await api.session.get<TabState>('tab:1'))?.host).toBe('new.example');
  });

  it('get() issued before remove(): the removed tab does not come back', async () => {
    const { tabs } = await restartedWithOldState();
    const read = tabs.get(1);
    await tabs.remove(1);
    await read;
    expect(tabs.peek(1)).toBeUndefined();
    expect(await tabs.get(1)).toBeUndefined();
  });

  it('a navigation and a verdict for the next page, both in flight at the restart: the verdict stands', async () => {
    const { api, tabs } = await restartedWithOldState();
    slowFirstRead(api);
    const navigation = tabs.navigated(1, 'https://new.example/', 'checking'); // tabs.onUpdated
    const response = (async () => {
      await tabs.navigated(1, 'https://new.example/', 'checking', false); // webRequest
      await tabs.update(1, 'new.example', { phase: 'done', summary: { level: 'ok', title: 'checked' } });
    })();
    await Promise.all([navigation, response]);
    expect(tabs.peek(1)).toMatchObject({ host: 'new.example', phase: 'done' });
  });

  it('warmUp() after a write keeps the write', async () => {
    const { tabs } = await restartedWithOldState();
    const warm = tabs.warmUp();
    await tabs.set(state('new.example', 'checking'));
    await warm;
    expect(tabs.peek(1)?.host).toBe('new.example');
  });
});
