/**
 * The pages' requests to the worker, routed through one typed map: a request type without a
 * handler, or a handler whose answer is not that type's Response, does not compile. One error
 * style: a handler throws UserFacingError for what people should read; `reply` wraps every
 * answer as a Reply.
 */
import type { ChromiumOrchestration } from './chromium-orchestration.js';
import type { Checker } from './checker.js';
import type { ChromiumModeInfo } from './chromium-automatic-mode.js';
import type { InclusionChecks } from './inclusion-checks.js';
import { logListInfo } from './log-list-info.js';
import type { ExtensionLogLists } from './log-lists.js';
import type { Reply, Request, Response } from './messages.js';
import { certificatesFromPemText, checkPastedChain } from './pasted-chain.js';
import type { SettingsStore } from './settings-store.js';
import type { TabStates } from './tab-state.js';
import { UserFacingError } from './user-facing-error.js';

/** The worker's features the handlers answer from. */
export interface WorkerFeatures {
  readonly tabs: TabStates;
  readonly settings: SettingsStore;
  readonly checker: Checker;
  readonly chromium: ChromiumOrchestration;
  readonly inclusion: InclusionChecks;
  readonly logLists: ExtensionLogLists;
  readonly now: () => number;
  readonly chromiumMode: () => Promise<ChromiumModeInfo>;
}

type RequestOf<T extends Request['type']> = Extract<Request, { readonly type: T }>;
export type MessageHandlers = {
  readonly [T in Request['type']]: (request: RequestOf<T>) => Promise<Response<RequestOf<T>>>;
};

export function messageHandlers(f: WorkerFeatures): MessageHandlers {
  return {
    'get-tab-state': async (r) => (await f.tabs.get(r.tabId)) ?? null,
    'check-tab': (r) => f.chromium.checkTab(r.tabId),
    'check-pasted-chain': (r) => checkPastedChain(f.checker, r.pem),
    'get-settings': () => f.settings.get(),
    'set-settings': (r) => f.settings.set(r.settings),
    'dont-warn-host': (r) => f.settings.dontWarn(r.host),
    'get-log-list-info': () => logListInfo(f.logLists, f.now),
    'update-log-list': async () => {
      await f.logLists.update().catch(() => undefined); // the outcome is in the info
      return logListInfo(f.logLists, f.now);
    },
    'check-inclusion': (r) => f.inclusion.checkTab(r.tabId),
    'check-pasted-inclusion': async (r) => f.inclusion.prove(certificatesFromPemText(r.pem)),
    'get-tree-heads': (r) => f.inclusion.treeHeadsSeen(r.logIds),
    'get-chromium-mode': () => f.chromiumMode(),
  };
}

/** How much of an unexpected error's message a page is shown (the worker's console has it all). */
const MAX_UNEXPECTED_SHOWN = 200;

/** The answer to `request` from its handler. Rejects for a type no handler answers. */
export async function dispatch(handlers: MessageHandlers, request: Request): Promise<unknown> {
  const type: unknown = (request as { type?: unknown }).type;
  // Own properties only: a type such as "constructor" or "__proto__" is not a handler.
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    throw new UserFacingError(`unknown request type "${String(type).slice(0, 40)}"`);
  }
  const handler = handlers[type as Request['type']] as (r: Request) => Promise<unknown>;
  return handler(request);
}

/**
 * The Reply a page gets for `request`: `{ ok: true, value }`, or `{ ok: false, error }` with a
 * UserFacingError's message as it is. Any other error is a fault in ctlens, not in what the user
 * gave: logged to the worker's console, and worded as unexpected. Never rejects.
 */
export async function reply(handlers: MessageHandlers, request: Request): Promise<Reply<Request>> {
  try {
    return { ok: true, value: (await dispatch(handlers, request)) as Response<Request> };
  } catch (e) {
    if (e instanceof UserFacingError) return { ok: false, error: e.message };
    console.error(`ctlens: the "${String(request.type).slice(0, 40)}" request failed`, e);
    const message = (e instanceof Error ? e.message : String(e)).slice(0, MAX_UNEXPECTED_SHOWN);
    return { ok: false, error: `unexpected error in ctlens's worker (its console has the details): ${message}` };
  }
}
