/**
 * Whether Chromium's automatic checks are on, as the worker found out (chromium-webrequest-reader.ts):
 *   automatic   responses come with their certificate: every HTTPS page is checked;
 *   flag-off    this Chromium has the API but its WebRequestSecurityInfo feature is off (responses
 *               come without securityInfo): checks are on demand until the flag is turned on;
 *   unavailable this browser has no such API: checks are on demand;
 *   unknown     no HTTPS response seen yet in this browser session.
 * Kept in storage.session: a flag changes only with a relaunch, and a restarted worker knows at once.
 */
import type { KeyValueStore } from './browser-api.js';

type ChromiumMode = 'automatic' | 'flag-off' | 'unavailable' | 'unknown';

/** What the popup shows (background/messages.ts). */
export interface ChromiumModeInfo {
  readonly mode: ChromiumMode;
  /** Where automatic checks are turned on. */
  readonly flag: string;
}

const SECURITY_INFO_FLAG = 'chrome://flags/#web-request-security-info';
const KEY = 'chromium:mode';

export class ChromiumAutomaticMode {
  private mode: Promise<ChromiumMode>;

  /** `registered`: the listener with securityInfo was accepted (false: this browser has no such API). */
  constructor(
    private readonly session: KeyValueStore,
    registered: boolean,
  ) {
    this.mode = registered
      ? session.get<unknown>(KEY).then(
          (m) => (m === 'automatic' || m === 'flag-off' ? m : 'unknown'),
          () => 'unknown' as const,
        )
      : Promise.resolve('unavailable');
  }

  async info(): Promise<ChromiumModeInfo> {
    return { mode: await this.mode, flag: SECURITY_INFO_FLAG };
  }

  /**
   * An HTTPS response arrived, with or without its certificate. Once automatic, it stays so for the
   * session (a flag changes only with a relaunch): a response without it then was one whose headers
   * an earlier run of the worker saw.
   */
  async observe(withSecurityInfo: boolean): Promise<void> {
    const before = await this.mode;
    const now: ChromiumMode = withSecurityInfo ? 'automatic' : 'flag-off';
    if (before === now || before === 'unavailable' || before === 'automatic') return;
    this.mode = Promise.resolve(now);
    await this.session.set(KEY, now).catch(() => undefined);
  }
}
