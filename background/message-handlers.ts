/**
 * The pages' requests to the worker, routed through one typed map: a request type without a
 * handler, or a handler whose answer is not that type's Response, does not compile.
 */
import { decodePem, PemError } from '../src/pem.js';
import type { ChromiumOrchestration } from './chromium-orchestration.js';
import type { Checker } from './checker.js';
import type { InclusionChecks } from './inclusion-checks.js';
import { logListInfo } from './log-list-info.js';
import type { ExtensionLogLists } from './log-lists.js';
import type { Request, Response } from './messages.js';
import { checkPastedChain } from './pasted-chain.js';
import type { SettingsStore } from './settings-store.js';
import type { TabStates } from './tab-state.js';

/** The worker's features the handlers answer from. */
export interface WorkerFeatures {
  readonly tabs: TabStates;
  readonly settings: SettingsStore;
  readonly checker: Checker;
  readonly chromium: ChromiumOrchestration;
  readonly inclusion: InclusionChecks;
  readonly logLists: ExtensionLogLists;
  readonly now: () => number;
}

type RequestOf<T extends Request['type']> = Extract<Request, { readonly type: T }>;
export type MessageHandlers = {
  readonly [T in Request['type']]: (request: RequestOf<T>) => Promise<Response<RequestOf<T>>>;
};

export function messageHandlers(f: WorkerFeatures): MessageHandlers {
  return {
    'get-tab-state': async (r) => (await f.tabs.get(r.tabId)) ?? null,
    'check-tab': (r) => f.chromium.checkTab(r.tabId),
    'audit-chain': (r) => checkPastedChain(f.checker, r.pem),
    'get-settings': () => f.settings.get(),
    'set-settings': (r) => f.settings.set(r.settings),
    'dont-warn-host': (r) => f.settings.dontWarn(r.host),
    'get-log-list-info': () => logListInfo(f.logLists, f.now),
    'update-log-list': async () => {
      await f.logLists.update().catch(() => undefined); // the outcome is in the info
      return logListInfo(f.logLists, f.now);
    },
    'check-inclusion': (r) => f.inclusion.checkTab(r.tabId),
    'audit-inclusion': async (r) => {
      try {
        const chain = decodePem(r.pem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
        if (!chain.length) return { error: 'no CERTIFICATE block found' };
        return await f.inclusion.prove(chain);
      } catch (e) {
        if (e instanceof PemError) return { error: e.message };
        throw e;
      }
    },
    'get-tree-heads': (r) => f.inclusion.treeHeadsSeen(r.logIds),
  };
}

/** The answer to `request` from its handler. Throws for a type no handler answers. */
export async function dispatch(handlers: MessageHandlers, request: Request): Promise<unknown> {
  const type: unknown = (request as { type?: unknown }).type;
  // Own properties only: a type such as "constructor" or "__proto__" is not a handler.
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    throw new Error(`unknown request type "${String(type).slice(0, 40)}"`);
  }
  const handler = handlers[type as Request['type']] as (r: Request) => Promise<unknown>;
  return handler(request);
}
