/** The toolbar badge for a tab: green when logged and compliant, red "!" on a problem, grey when unknown. */
import type { Badge } from './browser-api.js';
import type { TabState } from './messages.js';

const COLORS = { ok: '#1a7f37', alert: '#cf222e', unknown: '#6e7781' } as const;

export function badgeFor(state: TabState | undefined): Badge {
  if (!state) return { text: '', color: COLORS.unknown, title: 'ctlens: no HTTPS page checked in this tab' };
  switch (state.phase) {
    case 'idle':
      return { text: '', color: COLORS.unknown, title: "ctlens: click to check this site's Certificate Transparency" };
    case 'checking':
      return { text: '…', color: COLORS.unknown, title: `ctlens: checking ${state.host}…` };
    case 'insecure':
      return { text: '', color: COLORS.unknown, title: 'ctlens: not HTTPS, no certificate to check' };
    case 'error':
      return { text: '?', color: COLORS.unknown, title: `ctlens: ${state.error ?? 'the check failed'}` };
    case 'done': {
      const summary = state.summary!;
      const alert = state.inclusion?.alerts[0];
      if (alert)
        return {
          text: '‼',
          color: COLORS.alert,
          title: `ctlens: SPLIT VIEW — ${alert.log} showed two different histories (${alert.detail})`,
        };
      if (state.inclusion?.misbehaved)
        return { text: '!', color: COLORS.alert, title: 'ctlens: a log did not prove it included this certificate' };
      const text = summary.level === 'ok' ? '✓' : summary.level === 'alert' ? '!' : '?';
      return { text, color: COLORS[summary.level], title: `ctlens: ${summary.title}` };
    }
  }
}
