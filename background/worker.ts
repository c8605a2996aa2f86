/**
 * The extension's background: Firefox event page (background.scripts) or Chromium service worker.
 * Listeners are registered synchronously at the top level, as MV3 requires for a worker that the
 * browser stops and restarts; state lives in storage.session.
 */
import { startedAt } from './startup-clock.js';
import browser from 'webextension-polyfill';
import { realBrowserApi } from './browser-impl.js';
import { readChromiumTab } from './chromium-check.js';
import { listenToChromiumResponses } from './chromium-webrequest-reader.js';
import { Controller } from './controller.js';
import { isFirefox, listenToFirefoxResponses } from './firefox-reader.js';
import { refusal } from './message-guard.js';
import type { Request } from './messages.js';

const firefox = isFirefox();
// Chromium: automatic checks where webRequest gives certificates (chromium-webrequest-reader.ts);
// the listener's events arrive after this top-level code has run, so `controller` is set by then.
const chromiumListening = firefox
  ? undefined
  : listenToChromiumResponses((response) => void controller.onChromiumResponse(response));
const controller: Controller = new Controller(
  realBrowserApi(),
  firefox
    ? {}
    : { readChromiumTab: (tabId) => readChromiumTab(tabId), chromiumAutomatic: chromiumListening !== undefined },
);
// A restarted worker in a browser whose responses already came with certificates needs no watch
// for responses without them.
if (chromiumListening) {
  void controller.chromiumModeInfo().then(({ mode }) => {
    if (mode === 'automatic') chromiumListening.stopWatchingUnseen();
  });
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  const refused = refusal(message, sender, browser.runtime.id, browser.runtime.getURL(''));
  if (refused) return Promise.resolve({ ok: false, error: refused });
  return controller.reply(message as Request);
});

if (firefox) {
  listenToFirefoxResponses(
    (response) => void controller.onFirefoxResponse(response),
    (tabId, url, frame) => controller.mustHold(tabId, url, frame),
  );
}

browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url !== undefined) void controller.onNavigation(tabId, change.url, firefox);
  else if (!firefox && change.status === 'loading') {
    // A load without a URL change (a reload, ours included) or one the extension may not read: the
    // tab as the event gives it (its url is there where the host permissions reach, as tabs.get's
    // would be, without that call's round trip on every reload). The same site keeps its verdict;
    // an unreadable URL means another site.
    void controller.onNavigation(tabId, tab.url, false);
  }
});
browser.tabs.onRemoved.addListener((tabId) => void controller.onTabRemoved(tabId));

const LOG_LIST_ALARM = 'ctlens:update-log-list';
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === LOG_LIST_ALARM) void controller.updateLogListIfDue();
});
browser.runtime.onInstalled.addListener(() => {
  void browser.alarms.create(LOG_LIST_ALARM, { delayInMinutes: 1, periodInMinutes: 6 * 60 });
});

void controller.warmUp();
controller.metrics.startedAt = startedAt;
controller.metrics.readyAt = performance.now();

// Tests and the e2e measurements reach the controller from an extension page (Chromium's worker console).
(globalThis as unknown as { ctlens: Controller }).ctlens = controller;
