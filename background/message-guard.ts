/**
 * Which runtime messages the worker answers, as defence in depth: only requests from the
 * extension's own pages (the popup, the audit page, the options). ctlens has no content scripts,
 * so no web page's context may send to it; other extensions could only reach
 * runtime.onMessageExternal, which ctlens does not listen to.
 */

/** The parts of runtime.MessageSender this looks at. */
export interface MessageSender {
  readonly id?: string;
  readonly url?: string;
}

/** How long a sender's URL may be in the refusal (it is the sender's own, sent back to it). */
const MAX_URL_SHOWN = 100;

/**
 * Why the worker refuses a message, or undefined when it answers it. Preconditions: `ownId` is
 * runtime.id and `ownBase` is runtime.getURL('') (the extension's origin and "/"). A sender is
 * the extension's own page when its id is the extension's and its URL lies under that base;
 * a request is an object with a string `type` (the rest is the controller's to check).
 */
export function refusal(message: unknown, sender: MessageSender, ownId: string, ownBase: string): string | undefined {
  if (sender.id !== ownId) return `refused: the message is not from ctlens (sender id ${sender.id ?? 'missing'})`;
  const base = ownBase.endsWith('/') ? ownBase : `${ownBase}/`;
  if (typeof sender.url !== 'string' || !sender.url.startsWith(base)) {
    const url = typeof sender.url === 'string' ? sender.url.slice(0, MAX_URL_SHOWN) : 'missing';
    return `refused: the message is not from one of ctlens's pages (sender URL ${url})`;
  }
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') {
    return 'refused: a request is an object with a string "type"';
  }
  return undefined;
}
