/**
 * Typed messages to the worker. Every reply is a Reply (background/messages.ts): a value, or an
 * error already worded for people (background/message-handlers.ts), thrown here as an Error, so a
 * page shows `message` and never inspects a value for an error.
 */
import browser from 'webextension-polyfill';
import type { Reply, Request, Response } from '../background/messages.js';

export async function send<R extends Request>(request: R): Promise<Response<R>> {
  const reply = (await browser.runtime.sendMessage(request)) as Reply<R> | undefined;
  if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') {
    throw new Error('no answer from the ctlens background worker');
  }
  if (!reply.ok) throw new Error(typeof reply.error === 'string' ? reply.error : 'the ctlens background worker failed');
  return reply.value;
}
