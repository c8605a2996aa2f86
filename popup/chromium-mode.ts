/**
 * Chromium: which way the popup's site gets checked, as the worker found out
 * (background/chromium-automatic-mode.ts), and how to turn automatic checks on where Chromium
 * can give certificates but its flag is off. Only what the worker sends is shown.
 */
import type { ChromiumModeInfo } from '../background/chromium-automatic-mode.js';
import type { TabState } from '../background/messages.js';
import { h } from './dom.js';

const FLAG_NAME = 'Enable SecurityInfo in WebRequest API';

/** The line saying how checks run in this Chromium; null outside Chromium or before the worker said. */
export function chromiumModeNote(info: ChromiumModeInfo | undefined, state: TabState | null): HTMLElement | null {
  if (!info) return null;
  const line = (...text: (string | HTMLElement)[]) =>
    h('p', { id: 'chromium-mode', class: 'hint', 'data-mode': info.mode }, ...text);
  const flag = () => h('code', {}, info.flag);
  const howToTurnOn = () => [
    ' To turn them on, open ',
    flag(),
    `, set “${FLAG_NAME}” to Enabled and relaunch Chromium.`,
  ];
  switch (info.mode) {
    case 'automatic':
      return h(
        'div',
        {},
        line(
          'Automatic checks are on: Chromium shows ctlens each HTTPS page’s certificate. ' +
            'SCTs sent by TLS or OCSP, and Chrome’s own verdict, need the debugger check.',
        ),
        missingIssuer(state)
          ? h(
              'p',
              { id: 'missing-issuer', class: 'notice' },
              'ctlens could not find this certificate’s issuer (see Notes), so its embedded SCTs could not ' +
                'be checked: “Check this site” reads the whole chain.',
            )
          : null,
      );
    case 'flag-off':
      return line(
        'Automatic checks are off: this Chromium can show ctlens each page’s certificate, behind a flag.',
        ...howToTurnOn(),
        ' Until then, checks are on demand.',
      );
    case 'unknown':
      return line(
        'Automatic checks: not known yet (no HTTPS page loaded since Chromium started). ' +
          'If pages are not checked as they load, they are off.',
        ...howToTurnOn(),
      );
    case 'unavailable':
      return line('Checks are on demand: this Chromium shows extensions no certificates.');
  }
}

/** Whether the tab's verdict has embedded SCTs left unchecked for want of the issuer. */
const missingIssuer = (state: TabState | null): boolean =>
  state?.phase === 'done' && (state.report?.scts ?? []).some((s) => s.status === 'missing-issuer');

/** The debugger check's button under a verdict: "Check this site" when the issuer was missing. */
export const recheckLabel = (state: TabState | null): string =>
  missingIssuer(state) ? 'Check this site' : 'Check again';
