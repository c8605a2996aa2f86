/**
 * The worker's defences (issue 7 §5): it answers only its own pages' messages, refuses
 * malformed requests by name, and the automatic inclusion check's memory is bounded and expiring.
 */
import { describe, expect, it } from 'vitest';
import { Controller } from '../../background/controller.js';
import { refusal } from '../../background/message-guard.js';
import type { Request } from '../../background/messages.js';
import { OncePerPeriod } from '../../background/once-per-period.js';
import { MemoryBrowser, MemoryStore } from '../support/memory-browser.js';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const get = { type: 'get-settings' };

describe('which messages the worker answers', () => {
  it("its own pages' requests (popup, audit page, options; Firefox's moz-extension too)", () => {
    expect(refusal(get, { id: ID, url: `${BASE}popup/popup.html?tab=3` }, ID, BASE)).toBeUndefined();
    expect(refusal(get, { id: ID, url: `${BASE}popup/options.html` }, ID, BASE)).toBeUndefined();
    const moz = 'moz-extension://2f6c1d3e-0000-4000-8000-000000000001/';
    const gecko = 'ctlens@ctlens.dev';
    expect(refusal(get, { id: gecko, url: `${moz}popup/audit.html` }, gecko, moz)).toBeUndefined();
  });

  it('not another extension, nor a web page (ctlens has no content scripts), nor a look-alike origin', () => {
    expect(refusal(get, { id: 'otherextension', url: 'chrome-extension://otherextension/x.html' }, ID, BASE)).toBe(
      'refused: the message is not from ctlens (sender id otherextension)',
    );
    expect(refusal(get, { url: `${BASE}popup/popup.html` }, ID, BASE)).toBe(
      'refused: the message is not from ctlens (sender id missing)',
    );
    // What a content script's message would carry: ctlens's id, the web page's URL.
    expect(refusal(get, { id: ID, url: 'https://evil.example/page' }, ID, BASE)).toBe(
      "refused: the message is not from one of ctlens's pages (sender URL https://evil.example/page)",
    );
    const lookAlike = { id: ID, url: `chrome-extension://${ID}x/popup.html` };
    expect(refusal(get, lookAlike, ID, BASE)).toMatch(/^refused: the message is not from one of ctlens's pages/);
    expect(refusal(get, lookAlike, ID, BASE.slice(0, -1))).toMatch(/^refused: /); // a base given without its "/"
    expect(refusal(get, { id: ID }, ID, BASE)).toBe(
      "refused: the message is not from one of ctlens's pages (sender URL missing)",
    );
    expect(refusal(get, { id: ID, url: `https://x.example/${'a'.repeat(500)}` }, ID, BASE)!.length).toBeLessThan(200);
  });

  it('a request must be an object with a string type; an unknown type is named', async () => {
    const own = { id: ID, url: `${BASE}popup/popup.html` };
    for (const bad of [null, 'get-settings', 7, {}, { type: 3 }]) {
      expect(refusal(bad, own, ID, BASE)).toBe('refused: a request is an object with a string "type"');
    }
    const controller = new Controller(new MemoryBrowser());
    await expect(controller.handle({ type: 'format-disk' } as unknown as Request)).rejects.toThrow(
      'unknown request type "format-disk"',
    );
  });
});

describe('the once-a-day record of automatic inclusion checks', () => {
  const DAY = 86_400_000;

  it('once per period per id; again after the period', async () => {
    const store = new MemoryStore();
    let now = Date.UTC(2026, 4, 2);
    const limit = new OncePerPeriod(store, 'k', () => now, DAY, 10);
    expect(await limit.claim('cert-a')).toBe(true);
    expect(await limit.claim('cert-a')).toBe(false);
    // Two claims at the same moment: one wins.
    expect(await Promise.all([limit.claim('cert-b'), limit.claim('cert-b')])).toEqual([true, false]);
    now += DAY - 1;
    expect(await new OncePerPeriod(store, 'k', () => now, DAY, 10).claim('cert-a')).toBe(false); // a restarted worker
    now += 1;
    expect(await new OncePerPeriod(store, 'k', () => now, DAY, 10).claim('cert-a')).toBe(true);
  });

  it('is bounded (the newest kept) and drops what expired', async () => {
    const store = new MemoryStore();
    let now = Date.UTC(2026, 4, 2);
    const limit = new OncePerPeriod(store, 'k', () => now, DAY, 10);
    for (let i = 0; i < 25; i++) {
      expect(await limit.claim(`cert-${i}`)).toBe(true);
      now += 1000;
    }
    expect(Object.keys(store.data.get('k') as object)).toEqual(Array.from({ length: 10 }, (_, i) => `cert-${15 + i}`));
    now += DAY;
    expect(await limit.claim('cert-new')).toBe(true);
    expect(store.data.get('k')).toEqual({ 'cert-new': now });
  });

  it('never trusts what is stored; a time in the future is no claim', async () => {
    const now = Date.UTC(2026, 4, 2);
    const store = new MemoryStore();
    store.data.set('k', { a: 'yesterday', b: null, c: now + DAY, d: now - 1000 });
    const limit = new OncePerPeriod(store, 'k', () => now, DAY, 10);
    expect(await limit.claim('a')).toBe(true);
    expect(await limit.claim('c')).toBe(true);
    expect(await limit.claim('d')).toBe(false);
    store.data.set('j', 'garbage');
    expect(await new OncePerPeriod(store, 'j', () => now, DAY, 10).claim('a')).toBe(true);
  });

  it('storage that cannot be read or written means no claim (so no request)', async () => {
    const broken = new MemoryStore();
    broken.get = () => Promise.reject(new Error('storage is gone'));
    await expect(new OncePerPeriod(broken, 'k', () => 0, DAY, 10).claim('a')).rejects.toThrow('storage is gone');
    const full = new MemoryStore();
    full.set = () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
    await expect(new OncePerPeriod(full, 'k', () => 0, DAY, 10).claim('a')).rejects.toThrow('QUOTA_BYTES');
  });
});
