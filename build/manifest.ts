/**
 * The per-browser manifests, generated from the one top-level manifest.json. Every permission
 * has a reason (see PERMISSIONS.md):
 *   both:     storage (settings, per-tab state), notifications (warnings), alarms (daily log list update)
 *   Firefox:  webRequest + webRequestBlocking + <all_urls> (getSecurityInfo works only in a blocking
 *             onHeadersReceived listener, on every HTTPS site)
 *   Chromium: webRequest + every https host (automatic checks: onHeadersReceived with securityInfo,
 *             not blocking, where Chromium's WebRequestSecurityInfo feature is on; webRequest reports
 *             only requests to hosts the extension holds), every http host (an issuer's caIssuers URL,
 *             plain HTTP as RFC 5280 §4.2.2.1 expects, read without CORS), activeTab (the tab's
 *             address when the user opens the popup), debugger (the on-demand check reads the chain
 *             through DevTools; Chromium refuses it as an optional permission, kFlagCannotBeOptional,
 *             so it is asked at install and used only on "Check this site"). These hosts cover the
 *             log list update (www.gstatic.com) and the logs an inclusion check contacts.
 */
import { readFileSync } from 'node:fs';

export type TargetBrowser = 'firefox' | 'chrome';
type Manifest = Record<string, unknown> & { background: Record<string, unknown>; permissions: string[] };

export function manifestFor(browser: TargetBrowser, version?: string): Manifest {
  const source = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as Manifest;
  const m: Manifest = structuredClone(source);
  if (version) m.version = version;
  if (browser === 'firefox') {
    m.background = { scripts: source.background.scripts, type: 'module' };
    m.permissions = source.permissions.filter((p) => p !== 'activeTab');
    delete m.optional_permissions; // Firefox has no debugger API; it reads chains itself
  } else {
    m.background = { service_worker: source.background.service_worker, type: 'module' };
    m.permissions = [...source.permissions.filter((p) => p !== 'webRequestBlocking'), 'debugger'];
    delete m.optional_permissions;
    m.host_permissions = ['https://*/*', 'http://*/*'];
    delete m.browser_specific_settings;
  }
  return m;
}
