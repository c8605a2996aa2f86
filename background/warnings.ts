/**
 * Warning notifications: when a site's certificate has no SCTs, an invalid SCT, or fails the
 * policy. At most once per host and certificate; never for a host the user excepted, or when
 * warnings are off.
 */
import type { Summary } from '../src/summary.js';
import type { BrowserApi } from './browser-api.js';
import type { Settings } from './settings.js';

const WARNED_KEY = 'warned';
const MAX_REMEMBERED = 1000;

const MESSAGES: Record<NonNullable<Summary['warning']>, string> = {
  'no-scts': 'has no Certificate Transparency SCTs',
  'invalid-sct': 'has an invalid SCT',
  'policy-failed': 'does not meet the CT policy',
};

/** Raises the notification when due. Returns whether it did. */
export async function maybeWarn(api: BrowserApi, settings: Settings, host: string, certSha256: string, summary: Summary): Promise<boolean> {
  if (!summary.warning || !settings.warnings || settings.exceptions.includes(host)) return false;
  const id = `${host}|${certSha256}`;
  const warned = (await api.local.get<string[]>(WARNED_KEY)) ?? [];
  if (warned.includes(id)) return false;
  await api.local.set(WARNED_KEY, [...warned, id].slice(-MAX_REMEMBERED));
  await api.notify(`ctlens:${id}`, `ctlens: ${host} ${MESSAGES[summary.warning]}`, summary.title);
  return true;
}
