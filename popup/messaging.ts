/** Typed messages to the worker: every reply is a Reply; an error reply becomes a thrown Error. */
import browser from 'webextension-polyfill';
import type { Reply, Request, Response } from '../background/messages.js';

export async function send<R extends Request>(request: R): Promise<Response<R>> {
  const reply = (await browser.runtime.sendMessage(request)) as Reply<R> | undefined;
  if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') {
    throw new Error('no answer from the ctlens background worker');
  }
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
