/**
 * The worker's one error style (background/message-handlers.ts): every page request is answered
 * with a Reply; what the user should fix is worded for people, a fault in ctlens as unexpected.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../background/controller.js';
import type { MessageHandlers } from '../../background/message-handlers.js';
import type { Request } from '../../background/messages.js';
import { DEFAULT_SETTINGS } from '../../background/settings.js';
import { fixturePath } from '../support/fixtures.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const keyPem = readFileSync(fixturePath('rfc6962/ct-server-key-public.pem'), 'utf8');

afterEach(() => vi.restoreAllMocks());

describe('the replies to the pages', () => {
  it('a value is { ok: true, value }', async () => {
    const controller = new Controller(new MemoryBrowser());
    expect(await controller.reply({ type: 'get-settings' })).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(await controller.reply({ type: 'get-tab-state', tabId: 1 })).toEqual({ ok: true, value: null });
  });

  it('what the user gave or did wrong is { ok: false, error } worded for people, from every handler', async () => {
    const controller = new Controller(new MemoryBrowser());
    const damaged = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----';
    const cases: [Request, string][] = [
      [{ type: 'check-pasted-inclusion', pem: keyPem }, 'no CERTIFICATE block (the PEM holds "PUBLIC KEY")'],
      [{ type: 'check-pasted-inclusion', pem: damaged }, 'Certificate has 0 fields, expected 3'],
      [
        { type: 'check-pasted-inclusion', pem: `${damaged}\n-----BEGIN CERTIFICATE-----\nMAA=` },
        'PEM block "BEGIN CERTIFICATE" #2 has no END line',
      ],
      [{ type: 'check-pasted-chain', pem: keyPem }, 'no CERTIFICATE block (the PEM holds "PUBLIC KEY")'],
      [{ type: 'check-inclusion', tabId: 7 }, 'check this site first: there is no verdict yet'],
      [{ type: 'check-tab', tabId: 7 }, "on-demand checks need Chromium's debugger API"],
    ];
    for (const [request, error] of cases) expect(await controller.reply(request)).toEqual({ ok: false, error });
  });

  it('a fault in ctlens is logged and worded as unexpected, never thrown at the page', async () => {
    const api = new MemoryBrowser();
    api.local.get = () => Promise.reject(new Error('storage.local is unavailable'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await new Controller(api).reply({ type: 'get-settings' });
    expect(answer).toEqual({
      ok: false,
      error: "unexpected error in ctlens's worker (its console has the details): storage.local is unavailable",
    });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('a type that names no handler is refused, also one an object inherits', async () => {
    const controller = new Controller(new MemoryBrowser());
    for (const type of ['format-disk', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const answer = await controller.reply({ type } as unknown as Request);
      expect(answer).toEqual({ ok: false, error: `unknown request type "${type}"` });
    }
  });

  it('the handler map is checked when compiled: every type answered, with its own Response', () => {
    // @ts-expect-error a request type without a handler
    const missing: MessageHandlers = {} as Omit<MessageHandlers, 'get-settings'>;
    // @ts-expect-error an answer that is not the type's Response
    const wrong: MessageHandlers['get-settings'] = async () => null;
    expect([typeof missing, typeof wrong]).toEqual(['object', 'function']);
  });
});
