/**
 * The browser's own CT verdict, as a sentence: the one place its API words become people's words.
 * - Firefox, webRequest.SecurityInfo.certificateTransparencyStatus (MDN): "not_applicable",
 *   "policy_compliant", "policy_not_enough_scts", "policy_not_diverse_scts".
 * - Chromium, DevTools Network.SecurityDetails.certificateTransparencyCompliance
 *   (Network.CertificateTransparencyCompliance): "unknown", "not-compliant", "compliant".
 * Both browsers judge CT only for certificates from public roots. The status itself stays in
 * `data-status` for tools; a status neither names is quoted, as text.
 */
import type { BrowserCtVerdict } from '../src/summary.js';
import { h } from './dom.js';

function firefoxSentence(status: string, publicRoot: boolean | undefined): string {
  switch (status) {
    case 'policy_compliant':
      return "Firefox's own check: the SCTs it received meet its CT policy.";
    case 'policy_not_enough_scts':
      return "Firefox's own check: too few SCTs for its CT policy.";
    case 'policy_not_diverse_scts':
      return "Firefox's own check: the SCTs are not from enough different log operators for its CT policy.";
    case 'not_applicable':
      if (publicRoot === false) return 'Firefox did not check CT for this site: its root is not a public one.';
      if (publicRoot === true) return 'Firefox did not check CT for this site, although its root is a public one.';
      return 'Firefox did not check CT for this site.';
    default:
      return `Firefox gave a CT status ctlens does not know: "${status}".`;
  }
}

function chromiumSentence(status: string): string {
  switch (status) {
    case 'compliant':
      return "Chromium's own check: the SCTs it received meet its CT policy.";
    case 'not-compliant':
      return "Chromium's own check: the SCTs it received do not meet its CT policy.";
    case 'unknown':
      return 'Chromium did not check CT for this site: most likely its root is not a public one.';
    default:
      return `Chromium gave a CT status ctlens does not know: "${status}".`;
  }
}

/** The browser's verdict in one sentence. */
export function browserVerdictSentence(verdict: BrowserCtVerdict): string {
  if (verdict.browser === 'firefox') return firefoxSentence(verdict.status, verdict.publicRoot);
  return chromiumSentence(verdict.status);
}

export function renderBrowserVerdict(verdict: BrowserCtVerdict): HTMLElement {
  return h(
    'p',
    {
      class: 'browser-verdict',
      id: 'browser-verdict',
      'data-browser': verdict.browser,
      'data-status': verdict.status,
      'data-compliant': String(verdict.compliant),
    },
    browserVerdictSentence(verdict),
  );
}
