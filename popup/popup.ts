/**
 * The toolbar popup: the verdict for one tab, as the worker gives it. `?tab=<id>` picks the tab
 * (tests open the popup as a page); otherwise the active tab of the current window.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../background/messages.js';
import type { Settings } from '../background/settings.js';
import { byId, h, replace } from './dom.js';
import { send } from './messaging.js';
import { renderFrames, renderReport, renderReportSummary, renderSummary } from './render-report.js';
import { inclusionSection, isChromium, requestLogAccess } from './inclusion.js';
import { checkSiteBlock, requestDebugger } from './check-site.js';
import { chromiumModeNote } from './chromium-mode.js';
import type { ChromiumModeInfo } from '../background/chromium-automatic-mode.js';

const params = new URLSearchParams(location.search);
const pageMode = params.has('tab');
/** Chromium gives extensions no certificates: checks there are on demand, under the debugger. */
const chromium = isChromium();

const summary = byId('summary');
const content = byId('content');
const actions = byId('actions');
const hostLine = byId('host');

let tabId: number | undefined;
/** The tab's URL as the tabs API gives it, for the host line before anything was checked. */
let tabUrl: string | undefined;
let state: TabState | null = null;
let settings: Settings | undefined;
/** Chromium: whether checks are automatic (the worker's answer). */
let chromiumMode: ChromiumModeInfo | undefined;
/** A check started from this popup is running (since `checkStartedAt`, ms). */
let checking = false;
let checkStartedAt = 0;
let checkError: string | undefined;
let rawOpen = false;
let dontWarnError: string | undefined;
let renders = 0;
let inclusionBusy = false;
let inclusionError: string | undefined;

function onCheckInclusion(): void {
  if (tabId === undefined || !state || inclusionBusy) return;
  const id = tabId;
  const permission = requestLogAccess(state, settings?.witnessPolicy); // within the click: nothing awaited before it
  inclusionBusy = true;
  inclusionError = undefined;
  render();
  void (async () => {
    try {
      if (!(await permission)) throw new Error('Not checked: ctlens needs permission to contact the logs.');
      state = await send({ type: 'check-inclusion', tabId: id });
    } catch (e) {
      inclusionError = e instanceof Error ? e.message : String(e);
    } finally {
      inclusionBusy = false;
      render();
    }
  })();
}

async function resolveTab(): Promise<number> {
  const param = params.get('tab');
  if (param !== null) {
    const id = Number(param);
    if (!Number.isInteger(id) || id < 0) throw new Error(`?tab= must be a tab id, not "${param}"`);
    tabUrl = await browser.tabs.get(id).then(
      (t) => t.url,
      () => undefined,
    );
    return id;
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error('no active tab');
  tabUrl = tab.url;
  return tab.id;
}

function tabHost(): string {
  if (state?.host) return state.host;
  try {
    return tabUrl ? new URL(tabUrl).host : '';
  } catch {
    return '';
  }
}

function tabIsHttps(): boolean | undefined {
  if (!tabUrl) return undefined;
  return tabUrl.startsWith('https:');
}

/**
 * Whether the summary still says "Checking…": until the worker stores this check's outcome. The
 * stored verdict arrives (storage.onChanged) before the check-tab reply, which waits for the
 * names and SANs; the summary must not say "Checking…" beside the verdict it shows.
 */
function checkPending(s: TabState | null): boolean {
  return checking && !(s && (s.phase === 'done' || s.phase === 'error') && s.updatedAt >= checkStartedAt);
}

function phaseSummary(s: TabState | null): void {
  if (checkPending(s)) {
    renderSummary(summary, 'unknown', `Checking ${tabHost() || 'this site'}…`, 'checking');
    return;
  }
  if (!s) {
    if (tabIsHttps() === false) {
      renderSummary(summary, 'unknown', 'Not an HTTPS page: there is no certificate to check.', 'none');
      return;
    }
    const onDemand = chromium && chromiumMode?.mode !== 'automatic';
    renderSummary(
      summary,
      'unknown',
      onDemand ? 'Not checked yet.' : 'No HTTPS page has been checked in this tab. Reload the page to check it.',
      'none',
    );
    return;
  }
  switch (s.phase) {
    case 'idle':
      renderSummary(summary, 'unknown', 'Not checked yet.', 'idle');
      break;
    case 'checking':
      renderSummary(summary, 'unknown', `Checking ${s.host}…`, 'checking');
      break;
    case 'insecure':
      renderSummary(summary, 'unknown', 'Not HTTPS: there is no certificate to check.', 'insecure');
      break;
    case 'error':
      renderSummary(summary, 'unknown', `The check failed: ${s.error ?? 'unknown error'}`, 'error');
      break;
    case 'done':
      if (s.summary) renderReportSummary(summary, s.summary);
      else renderSummary(summary, 'unknown', 'Checked, but the worker sent no summary.', 'done');
      break;
  }
}

/** Chromium: the "Check this site" block, before a result (or a retry after an error). */
function checkBlock(s: TabState | null): HTMLElement | null {
  if (!chromium) return null;
  return checkSiteBlock({ state: s, https: tabIsHttps(), checking, error: checkError, onCheck });
}

function onCheck(): void {
  if (tabId === undefined || checking) return;
  const id = tabId;
  const permission = requestDebugger(); // within the click (a user gesture): nothing is awaited before it
  checking = true;
  checkStartedAt = Date.now();
  checkError = undefined;
  render();
  void (async () => {
    try {
      if (!(await permission))
        throw new Error('Not checked: ctlens needs the "debugger" permission to read the certificate in Chromium.');
      state = await send({ type: 'check-tab', tabId: id });
    } catch (e) {
      checkError = e instanceof Error ? e.message : String(e);
    } finally {
      checking = false;
      render();
    }
  })();
}

function actionButton(label: string, id: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', id }, label);
  button.addEventListener('click', onClick);
  return button;
}

function openOptions(): void {
  void browser.runtime.openOptionsPage().then(() => {
    if (!pageMode) window.close();
  });
}

function openAudit(): void {
  void browser.tabs.create({ url: browser.runtime.getURL('popup/audit.html') }).then(() => {
    if (!pageMode) window.close();
  });
}

function dontWarnButton(host: string): HTMLElement {
  const off = settings?.exceptions.includes(host.toLowerCase()) ?? false;
  const button = actionButton(off ? `No warnings for ${host}` : "Don't warn about this host", 'dont-warn', () => {
    button.disabled = true;
    send({ type: 'dont-warn-host', host }).then(
      (next) => {
        settings = next;
        dontWarnError = undefined;
        render();
      },
      (e: unknown) => {
        dontWarnError = `Could not save: ${e instanceof Error ? e.message : String(e)}`;
        render();
      },
    );
  });
  button.disabled = off;
  if (!off) button.title = `No more notifications about ${host}; the badge still shows`;
  return button;
}

function render(): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  const s = state;
  const host = tabHost();
  hostLine.textContent = host;
  phaseSummary(s);

  const report = s?.phase === 'done' ? s.report : undefined;
  const view = report
    ? renderReport(report, {
        openOptions,
        browserVerdict: s?.browserVerdict,
        rawOpen,
        onRawToggle: (open) => (rawOpen = open),
        exportExtra: () => (state?.inclusion ? { inclusion: state.inclusion } : undefined),
      })
    : undefined;
  replace(
    content,
    chromiumModeNote(chromiumMode, s),
    checkBlock(s),
    view?.main,
    s
      ? inclusionSection(s, {
          busy: inclusionBusy,
          error: inclusionError,
          onCheck: onCheckInclusion,
          witnessPolicy: settings?.witnessPolicy,
        })
      : null,
    s?.frames?.length ? renderFrames(s.frames) : null,
    view?.raw,
    dontWarnError ? h('p', { class: 'problem', role: 'alert' }, dontWarnError) : null,
  );
  replace(
    actions,
    view?.exportButton,
    view?.rawButton,
    actionButton('Audit a chain…', 'audit', openAudit),
    host ? dontWarnButton(host) : null,
    actionButton('Options', 'options', openOptions),
  );
  if (focused) document.getElementById(focused)?.focus();
  document.body.dataset.renders = String(++renders);
  document.body.dataset.ready = '1';
}

function fail(message: string): void {
  renderSummary(summary, 'unknown', message, 'error');
  const audit = actionButton('Audit a chain…', 'audit', openAudit);
  replace(actions, audit, actionButton('Options', 'options', openOptions));
  document.body.dataset.ready = '1';
}

async function main(): Promise<void> {
  if (pageMode) document.body.classList.add('page');
  try {
    tabId = await resolveTab();
  } catch (e) {
    return fail(`ctlens cannot tell which tab to show: ${(e as Error).message}`);
  }
  const key = `tab:${tabId}`;
  /** Set when storage already told us something newer than the first answer. */
  let changed = false;
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session' || !(key in changes)) return;
    changed = true;
    state = (changes[key]!.newValue as TabState | undefined) ?? null;
    render();
  });
  const settingsRead = send({ type: 'get-settings' }).then(
    (v) => (settings = v),
    () => undefined,
  );
  const modeRead = chromium
    ? send({ type: 'get-chromium-mode' }).then(
        (m) => (chromiumMode = m),
        () => undefined,
      )
    : undefined;
  try {
    const first = await send({ type: 'get-tab-state', tabId });
    if (!changed) state = first;
  } catch (e) {
    return fail(`ctlens could not get this tab's state: ${(e as Error).message}`);
  }
  await Promise.all([settingsRead, modeRead]);
  render();
}

void main();
