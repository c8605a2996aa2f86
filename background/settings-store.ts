/**
 * The user's settings (storage.local "settings"): read once per worker start, kept in memory
 * after, written through. A change to the extra logs tells the log lists to rebuild.
 */
import type { KeyValueStore } from './browser-api.js';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings.js';

export class SettingsStore {
  private cache: Promise<Settings> | undefined;

  /** `onLogsChanged` runs after a change to the extra log list or keys is stored. */
  constructor(
    private readonly local: KeyValueStore,
    private readonly onLogsChanged: () => void,
  ) {}

  /** The settings, normalised (stored values' types are never trusted). */
  get(): Promise<Settings> {
    this.cache ??= this.local.get('settings').then((stored) => normalizeSettings(stored ?? DEFAULT_SETTINGS));
    return this.cache;
  }

  async set(change: Partial<Settings>): Promise<Settings> {
    const before = await this.get();
    const next = normalizeSettings({ ...before, ...change });
    await this.local.set('settings', next);
    this.cache = Promise.resolve(next);
    const keys = (s: Settings) => s.extraLogKeys.join('\n');
    if (next.extraLogList !== before.extraLogList || keys(next) !== keys(before)) this.onLogsChanged();
    return next;
  }

  /** "Don't warn about this host": adds it to the exceptions (lower case, once). */
  async dontWarn(host: string): Promise<Settings> {
    const settings = await this.get();
    return this.set({ exceptions: [...new Set([...settings.exceptions, host.toLowerCase()])] });
  }
}
