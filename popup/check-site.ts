/**
 * Chromium's on-demand check in the popup: the "Check this site" offer (or "check again" beside a
 * result), what the debugger will show, and the permission it needs. The popup owns the state.
 */
import browser, { type Manifest } from 'webextension-polyfill';
import type { TabState } from '../background/messages.js';
import { recheckLabel } from './chromium-mode.js';
import { h } from './dom.js';

export interface CheckSiteView {
  readonly state: TabState | null;
  /** Whether the tab's page is HTTPS (undefined: not known). */
  readonly https: boolean | undefined;
  /** A check started from this popup is running. */
  readonly checking: boolean;
  readonly error: string | undefined;
  readonly onCheck: () => void;
}

/** The block, or null when there is nothing to offer (a page that is not HTTPS, a check elsewhere). */
export function checkSiteBlock(view: CheckSiteView): HTMLElement | null {
  const s = view.state;
  const hasResult = s?.phase === 'done';
  const offer = !s
    ? view.https !== false
    : s.phase === 'idle' || s.phase === 'error' || (s.phase === 'checking' && view.checking);
  if (!offer && !hasResult) return null;
  if (hasResult) {
    const again = h(
      'button',
      { type: 'button', id: 'recheck-site', class: 'secondary' },
      view.checking ? 'Checking…' : recheckLabel(s),
    );
    again.disabled = view.checking;
    again.addEventListener('click', view.onCheck);
    return h(
      'div',
      { class: 'check recheck' },
      again,
      view.error ? h('p', { class: 'problem', role: 'alert' }, view.error) : null,
    );
  }
  const button = h(
    'button',
    { type: 'button', id: 'check-site', class: 'primary', 'aria-describedby': 'check-explain' },
    view.checking ? 'Checking…' : 'Check this site',
  );
  button.disabled = view.checking;
  if (view.checking) button.setAttribute('aria-busy', 'true');
  button.addEventListener('click', view.onCheck);
  return h(
    'div',
    { class: 'check' },
    h(
      'p',
      { id: 'check-explain' },
      'Chromium does not show certificates to extensions, so ctlens reads this one through the debugger: ' +
        'Chromium shows a "started debugging this browser" bar while it does, and the page reloads. ' +
        'ctlens detaches as soon as it has the certificate.',
    ),
    button,
    view.checking
      ? h(
          'p',
          { class: 'busy' },
          h('span', { class: 'spinner', 'aria-hidden': 'true' }),
          ' Reloading the page and reading its certificate…',
        )
      : null,
    view.error ? h('p', { class: 'problem', role: 'alert' }, view.error) : null,
  );
}

/**
 * Asks for the debugger permission. Call it within the click (a user gesture) before awaiting
 * anything. A required (not optional) permission cannot be requested in Chromium; held, it is enough.
 */
export function requestDebugger(): Promise<boolean> {
  const debuggerPermission = { permissions: ['debugger'] as unknown as Manifest.OptionalPermission[] };
  return browser.permissions.request(debuggerPermission).catch(async (e: unknown) => {
    if (await browser.permissions.contains(debuggerPermission)) return true;
    throw e;
  });
}
