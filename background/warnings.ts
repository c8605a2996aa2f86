/**
 * Warning notifications: when a site's certificate has no SCTs, an invalid SCT, or fails the
 * policy. At most once per host and certificate; never for a host the user excepted, or when
 * warnings are off.
 */
import type { Summary } from '../src/summary.js';
import type { BrowserApi } from './browser-api.js';
import { Serial } from './serial.js';
import type { Settings } from './settings.js';

const WARNED_KEY = 'warned';
const MAX_REMEMBERED = 1000;

const MESSAGES: Record<NonNullable<Summary['warning']>, string> = {
  'no-scts': 'has no Certificate Transparency SCTs',
  'invalid-sct': 'has an invalid SCT',
  'policy-failed': 'does not meet the CT policy',
};

/**
 * The warned list (storage.local "warned", `host|certificate SHA-256`, the last 1000) and the
 * notifications. One per worker: frames checked at the same moment are serialised, so neither
 * loses the other's entry (a lost entry would warn again on the next visit).
 */
export class Warner {
  private readonly serial = new Serial();

  constructor(private readonly api: BrowserApi) {}

  /** Raises the notification when due. Resolves to whether it did. */
  maybeWarn(settings: Settings, host: string, certSha256: string, summary: Summary): Promise<boolean> {
    if (!summary.warning || !settings.warnings || settings.exceptions.includes(host)) return Promise.resolve(false);
    const { warning, title } = summary;
    return this.serial.run(async () => {
      const id = `${host}|${certSha256}`;
      const stored = await this.api.local.get<unknown>(WARNED_KEY);
      const warned = Array.isArray(stored) ? stored.filter((x): x is string => typeof x === 'string') : [];
      if (warned.includes(id)) return false;
      await this.api.local.set(WARNED_KEY, [...warned, id].slice(-MAX_REMEMBERED));
      await this.api.notify(`ctlens:${id}`, `ctlens: ${host} ${MESSAGES[warning]}`, title);
      return true;
    });
  }
}
